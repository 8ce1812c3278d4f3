/// An object key read from a manifest line, identified without allocating when it is a known field.
struct ManifestKey {
    /// The fields of manifest events.
    enum Field: String, CaseIterable {
        case event, seq, path, kind, epoch, step, metrics, bytes, sha256, files, replaces, time, policy
        case decision, reason, ok, name, mechanism
    }

    private let raw: UnsafeBufferPointer<UInt8>?
    private let decoded: String?

    /// A key whose bytes held no escapes (valid only while the parsed buffer is).
    init(_ raw: UnsafeBufferPointer<UInt8>) {
        self.raw = raw
        decoded = nil
    }

    /// A key that held escapes, decoded.
    init(text: String) {
        raw = nil
        decoded = text
    }

    /// The key's text.
    var text: String { decoded ?? String(decoding: raw!, as: UTF8.self) }

    /// The known field this key names, if any.
    var field: Field? {
        guard let raw else { return decoded.flatMap(Field.init(rawValue:)) }
        for (field, name) in Self.names where name.count == raw.count {
            var same = true
            for k in 0..<name.count where name[k] != raw[k] { same = false; break }
            if same { return field }
        }
        return nil
    }

    private static let names: [(Field, [UInt8])] = Field.allCases.map { ($0, Array($0.rawValue.utf8)) }
}
