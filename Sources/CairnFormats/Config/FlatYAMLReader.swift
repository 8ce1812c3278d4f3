import CairnCore

/// A reader for the simplest YAML files, the ones Cairn writes itself (`cairn.yaml`): one `key: value`
/// per line at the left margin, with comment lines and blank lines between. It exists for speed:
/// opening a store reads `cairn.yaml` on every command, and the full YAML library costs more than the
/// rest of `cairn latest`.
///
/// It reads a value only when it is sure to read it as ``ConfigYAMLReader`` does, and returns nil for
/// anything else, for which callers use ``ConfigYAMLReader``:
/// - keys: ASCII letters, digits, `_`, `-` and `.`, starting with a letter or `_`, each given once;
/// - values: `{}`, `[]`, a double-quoted string without `\` or `"` inside, or a plain scalar of ASCII
///   letters, digits and `_ . / + -` that starts with a letter, digit, `_`, `.` or `/`, or with `+` or
///   `-` followed by a digit or `.`; plain scalars are typed by ``PlainScalar``, as the full reader types them;
/// - no indentation, flow or block collections, anchors, tags, trailing comments or document markers.
enum FlatYAMLReader {
    /// The top-level mapping of `text`, or nil when the text is not of the simple form.
    static func parse(_ text: String) -> ConfigValue? {
        var mapping = ConfigMapping()
        for line in Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            var bytes = line[...]
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            if bytes.allSatisfy({ $0 == UInt8(ascii: " ") }) || bytes.first == UInt8(ascii: "#") { continue }
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let key = bytes[..<colon]
            guard isKey(key) else { return nil }
            let rest = bytes[bytes.index(after: colon)...]
            guard rest.first == UInt8(ascii: " "), let value = scalar(rest.dropFirst()) else { return nil }
            let name = String(decoding: key, as: UTF8.self)
            guard mapping[name] == nil else { return nil }
            mapping.set(name, value)
        }
        return .mapping(mapping)
    }

    private static func isKey(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    private static func scalar(_ bytes: ArraySlice<UInt8>) -> ConfigValue? {
        guard let first = bytes.first else { return nil }
        if bytes.elementsEqual("{}".utf8) { return .mapping(ConfigMapping()) }
        if bytes.elementsEqual("[]".utf8) { return .list([]) }
        if bytes.elementsEqual("~".utf8) { return .null }
        if first == UInt8(ascii: "\"") {
            let inner = bytes.dropFirst()
            guard inner.last == UInt8(ascii: "\"") else { return nil }
            let content = inner.dropLast()
            guard !content.contains(UInt8(ascii: "\"")), !content.contains(UInt8(ascii: "\\")),
                  content.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
            return .string(String(decoding: content, as: UTF8.self))
        }
        let second = bytes.dropFirst().first
        let startsWell = isLetter(first) || isDigit(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ".")
            || first == UInt8(ascii: "/")
            || ((first == UInt8(ascii: "+") || first == UInt8(ascii: "-")) && second.map { isDigit($0) || $0 == UInt8(ascii: ".") } == true)
        guard startsWell, bytes.allSatisfy({ isLetter($0) || isDigit($0) || plainPunctuation.contains($0) }) else { return nil }
        return PlainScalar.resolve(String(decoding: bytes, as: UTF8.self))
    }

    private static let plainPunctuation: Set<UInt8> = Set("_./+-".utf8)
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
