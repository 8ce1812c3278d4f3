/// Validation of one component of a name (an experiment name component, a run name, a tag key…).
///
/// This is the single place where Cairn decides what a name may be, so every path it builds from
/// user input is safe: no empty names, no `.` or `..`, no `/`, no NUL or other control characters,
/// and no component longer than a file name may be (255 bytes of UTF-8).
public enum NameComponent {
    /// The longest component, in bytes of UTF-8 (NAME_MAX on Linux and macOS).
    public static let maxBytes = 255

    /// Checks one component.
    /// - Parameters:
    ///   - component: the text to check.
    ///   - what: what the name is for, used in the error ("experiment name", "run name", …).
    ///   - whole: the whole name the component belongs to, quoted in the error.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidName``.
    public static func validate(_ component: Substring, what: String, whole: String) throws(CairnError) {
        // Most names are printable ASCII that do not start or end with a space: checked byte by byte,
        // without building the quoted name only an error needs.
        if isPlainASCII(component) { return }
        let shown = NameComponent.quoted(whole)
        if component.isEmpty {
            throw CairnError(.invalidName, "\(what) \(shown) has an empty component",
                             hint: "remove the doubled or trailing '/'")
        }
        if component == "." || component == ".." {
            throw CairnError(.invalidName, "\(what) \(shown) contains '\(component)'",
                             hint: "'.' and '..' are not allowed in names; choose a plain name")
        }
        if let bad = component.unicodeScalars.first(where: isControl) {
            let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
            throw CairnError(.invalidName, "\(what) \(shown) contains the control character \(code)",
                             hint: "use printable characters only")
        }
        if component.contains("/") || component.contains("\\") {
            throw CairnError(.invalidName, "\(what) \(shown) contains a path separator",
                             hint: "use a name without '/' or '\\'")
        }
        let bytes = component.utf8.count
        if bytes > maxBytes {
            throw CairnError(.invalidName, "\(what) \(shown) has a component of \(bytes) bytes",
                             hint: "the limit is \(maxBytes) bytes of UTF-8 per component; shorten it")
        }
        if component.first?.isWhitespace == true || component.last?.isWhitespace == true {
            throw CairnError(.invalidName, "\(what) \(shown) starts or ends with white space",
                             hint: "remove the leading or trailing spaces")
        }
    }

    /// Checks one component of a name a user gives to something Cairn creates in the store: an
    /// experiment name component, a run name, a metrics split, a layout field value (`--field`). The rules
    /// of ``validate(_:what:whole:)``, and no leading `.`: such a folder is hidden, and `.cairn` is Cairn's
    /// own registry (`cairn exp new .cairn/runs` would put runs inside it).
    /// - Parameters:
    ///   - component: the text to check.
    ///   - what: what the name is for, used in the error ("experiment name", "run name", …).
    ///   - whole: the whole name the component belongs to, quoted in the error.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidName``.
    public static func validateVisible(_ component: Substring, what: String, whole: String) throws(CairnError) {
        try validate(component, what: what, whole: whole)
        if component.first == "." {
            let part = component.count == whole.count ? "" : " has a component that"
            throw CairnError(.invalidName, "\(what) \(NameComponent.quoted(whole))\(part) starts with '.'",
                             hint: "names starting with '.' are hidden folders (and .cairn is Cairn's own); choose a name that starts with another character")
        }
    }

    /// True when `component` is valid and plain: 1 to ``maxBytes`` bytes of printable ASCII other than
    /// `/` and `\`, neither `.` nor `..`, not starting or ending with a space.
    static func isPlainASCII(_ component: Substring) -> Bool {
        let utf8 = component.utf8
        let count = utf8.count
        guard count > 0, count <= maxBytes, let first = utf8.first, let last = utf8.last,
              first != UInt8(ascii: " "), last != UInt8(ascii: " ") else { return false }
        if first == UInt8(ascii: "."), count <= 2, last == UInt8(ascii: ".") { return false }
        for byte in utf8 where byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") { return false }
        return true
    }

    /// True for C0 and C1 control characters and DEL.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }

    /// The name as shown in an error: quoted, with control characters escaped and long names cut.
    public static func quoted(_ name: String) -> String {
        var shown = ""
        for scalar in name.unicodeScalars {
            if isControl(scalar) {
                shown += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        if shown.count > 80 { shown = String(shown.prefix(60)) + "…(\(name.utf8.count) bytes)" }
        return "'" + shown + "'"
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
