/// An object key read from a manifest line: a view of its bytes (valid only while the parsed buffer is),
/// identified as a known field without allocating.
struct ManifestKey {
    /// The fields of manifest events.
    enum Field: String, CaseIterable {
        case event, seq, path, kind, epoch, step, metrics, bytes, sha256, files, replaces, time, policy
        case decision, reason, ok, name, mechanism
    }

    /// The bytes between the quotes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// True when the bytes hold escapes, so they are not the key's text as they stand.
    let isEscaped: Bool

    /// The key's text.
    var text: String {
        guard isEscaped else { return String(decoding: bytes, as: UTF8.self) }
        return ManifestLineParser.unescape(bytes)
    }

    /// The known field this key names, if any.
    var field: Field? {
        if isEscaped { return Field(rawValue: text) }
        let candidate: Field
        let first = bytes.first ?? 0
        switch bytes.count {
        case 2 where first == UInt8(ascii: "o"): candidate = .ok
        case 3 where first == UInt8(ascii: "s"): candidate = .seq
        case 4:
            switch first {
            case UInt8(ascii: "p"): candidate = .path
            case UInt8(ascii: "k"): candidate = .kind
            case UInt8(ascii: "s"): candidate = .step
            case UInt8(ascii: "t"): candidate = .time
            case UInt8(ascii: "n"): candidate = .name
            default: return nil
            }
        case 5:
            switch first {
            case UInt8(ascii: "e"): candidate = bytes[1] == UInt8(ascii: "v") ? .event : .epoch
            case UInt8(ascii: "b"): candidate = .bytes
            case UInt8(ascii: "f"): candidate = .files
            default: return nil
            }
        case 6:
            switch first {
            case UInt8(ascii: "s"): candidate = .sha256
            case UInt8(ascii: "p"): candidate = .policy
            case UInt8(ascii: "r"): candidate = .reason
            default: return nil
            }
        case 7 where first == UInt8(ascii: "m"): candidate = .metrics
        case 8 where first == UInt8(ascii: "r"): candidate = .replaces
        case 8 where first == UInt8(ascii: "d"): candidate = .decision
        case 9 where first == UInt8(ascii: "m"): candidate = .mechanism
        default: return nil
        }
        return Self.same(bytes, Self.spelling(candidate)) ? candidate : nil
    }

    private static func spelling(_ field: Field) -> StaticString {
        switch field {
        case .event: "event"
        case .seq: "seq"
        case .path: "path"
        case .kind: "kind"
        case .epoch: "epoch"
        case .step: "step"
        case .metrics: "metrics"
        case .bytes: "bytes"
        case .sha256: "sha256"
        case .files: "files"
        case .replaces: "replaces"
        case .time: "time"
        case .policy: "policy"
        case .decision: "decision"
        case .reason: "reason"
        case .ok: "ok"
        case .name: "name"
        case .mechanism: "mechanism"
        }
    }

    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let start = word.utf8Start
        for k in 0..<bytes.count where start[k] != bytes[k] { return false }
        return true
    }
}
