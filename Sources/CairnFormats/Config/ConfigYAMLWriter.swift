import CairnCore

/// ``ConfigValue`` to block-style YAML that PyYAML's `safe_load` and Cairn both read back with the same
/// types and values.
///
/// - null is `null`, bools `true`/`false`, ints in decimal;
/// - floats always hold a `.` and a signed exponent when they have one (`0.0003`, `1.0e-10`, `1.0e+20`,
///   `5.0e-324`, `-0.0`), with Swift's shortest digits that read back to the exact same double; NaN and
///   the infinities are `.nan`, `.inf`, `-.inf`;
/// - a string (or key) is written plain only when both ``PlainScalar`` and PyYAML's resolver would read it
///   back as that string and plain YAML can hold it (no leading or trailing space, no leading indicator
///   such as `-`, `#`, `&`, `*`, `!`, `|`, `>`, `'`, `"`, `%`, `@`, `` ` ``, no `: ` or ` #`, no trailing
///   `:`, only printable characters, no line break); otherwise it is double-quoted on one line with YAML
///   escapes (`"yes"`, `"1e3"`, `"0x1F"`, `"1:30"`, `"2024-01-31"`, `""`, `"a\nb"`);
/// - mappings and lists are in block style, indented by two spaces, list items under a key indented too;
///   an empty mapping is `{}`, an empty list `[]`; a key longer than 1000 characters is written as an
///   explicit `? key` (PyYAML refuses longer implicit keys);
/// - the text ends with a newline.
public enum ConfigYAMLWriter {
    /// The YAML text of a value (normally a config mapping).
    public static func string(_ value: ConfigValue) -> String {
        var lines: [String] = []
        switch value {
        case .mapping(let mapping) where !mapping.isEmpty: writeMapping(mapping, indent: 0, to: &lines)
        case .list(let items) where !items.isEmpty: writeList(items, indent: 0, to: &lines)
        default: lines.append(scalar(value))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A scalar, empty list or empty mapping on one line, as the writer spells it.
    static func scalar(_ value: ConfigValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .float(let d): float(d)
        case .string(let s): string(s)
        case .list: "[]"
        case .mapping: "{}"
        }
    }

    /// A float in a form that YAML 1.1 (PyYAML) reads as a float.
    static func float(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        let text = d.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.contains(".") ? text : text + ".0"
        }
        var mantissa = String(text[..<e])
        var exponent = String(text[text.index(after: e)...])
        if !mantissa.contains(".") { mantissa += ".0" }
        if let sign = exponent.first, sign != "+" && sign != "-" { exponent = "+" + exponent }
        return mantissa + "e" + exponent
    }

    /// A string plain when that is safe for Cairn and PyYAML, else double-quoted.
    static func string(_ s: String) -> String {
        isSafePlain(s) ? s : ConfigValue.doubleQuoted(s)
    }

    private static func isSafePlain(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if last == ":" || s.first?.isWhitespace == true || s.last?.isWhitespace == true { return false }
        if s.hasPrefix("...") { return false }
        var previous: Unicode.Scalar = "x"
        for scalar in s.unicodeScalars {
            if !ConfigValue.isPlainPrintable(scalar) { return false }
            if (previous == ":" && scalar == " ") || (previous == " " && scalar == "#") { return false }
            previous = scalar
        }
        return PlainScalar.resolve(s) == .string(s) && PyYAMLResolver.isString(s)
    }

    private static func key(_ key: String) -> (text: String, explicit: Bool) {
        let text = string(key)
        return (text, text.unicodeScalars.count > 1000)
    }

    private static func pad(_ indent: Int) -> String { String(repeating: " ", count: indent) }

    private static func isBlock(_ value: ConfigValue) -> Bool {
        switch value {
        case .list(let items): !items.isEmpty
        case .mapping(let mapping): !mapping.isEmpty
        default: false
        }
    }

    private static func writeNested(_ value: ConfigValue, indent: Int, to lines: inout [String]) {
        switch value {
        case .list(let items): writeList(items, indent: indent, to: &lines)
        case .mapping(let mapping): writeMapping(mapping, indent: indent, to: &lines)
        default: lines.append(pad(indent) + scalar(value))
        }
    }

    private static func writeMapping(_ mapping: ConfigMapping, indent: Int, to lines: inout [String]) {
        for (name, value) in mapping.entries {
            let (text, explicit) = key(name)
            let head: String
            if explicit {
                lines.append(pad(indent) + "? " + text)
                head = pad(indent) + ":"
            } else {
                head = pad(indent) + text + ":"
            }
            if isBlock(value) {
                lines.append(head)
                writeNested(value, indent: indent + 2, to: &lines)
            } else {
                lines.append(head + " " + scalar(value))
            }
        }
    }

    private static func writeList(_ items: [ConfigValue], indent: Int, to lines: inout [String]) {
        for item in items {
            guard isBlock(item) else {
                lines.append(pad(indent) + "- " + scalar(item))
                continue
            }
            // The item's first line goes after "- ": write it indented by two more, then swap the prefix.
            let start = lines.count
            writeNested(item, indent: indent + 2, to: &lines)
            lines[start] = pad(indent) + "- " + lines[start].dropFirst(indent + 2)
        }
    }
}

/// PyYAML 6's implicit resolvers (`yaml/resolver.py`): whether `safe_load` reads a plain scalar as `str`.
enum PyYAMLResolver {
    static func isString(_ s: String) -> Bool {
        switch s {
        case "", "~", "null", "Null", "NULL", "<<", "=",
             "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
             "on", "On", "ON", "off", "Off", "OFF":
            return false
        default:
            break
        }
        guard let first = s.unicodeScalars.first, "-+0123456789.".unicodeScalars.contains(first) else {
            return true
        }
        let float = #/(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))/#
        let int = #/(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)/#
        let timestamp = #/(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)/#
        for regex in [float, int, timestamp] where s.wholeMatch(of: regex.matchingSemantics(.unicodeScalar)) != nil {
            return false
        }
        return true
    }
}
