/// One value of a run's config: a scalar, a list, or a mapping.
///
/// Configs come from YAML or JSON files plus `--set` overrides. The scalar types are the ones PyYAML's
/// `safe_load` produces for such files (`None`, `bool`, `int`, `float`, `str`), so a config Cairn writes
/// reads back in Python with exactly the same types.
///
/// Equality is exact and order-sensitive: mappings compare their entries in order, strings and keys
/// compare by Unicode scalars (as Python does, not by Swift's canonical equivalence), floats compare by
/// value and sign (`0.0 != -0.0`), and NaN equals NaN so that a config always equals itself.
public enum ConfigValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Double)
    case string(String)
    case list([ConfigValue])
    case mapping(ConfigMapping)

    /// The name of this value's type, as used in messages: `null`, `bool`, `int`, `float`, `string`,
    /// `list` or `mapping`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .list: "list"
        case .mapping: "mapping"
        }
    }

    /// True for `null`, bools, numbers and strings.
    public var isScalar: Bool {
        switch self {
        case .list, .mapping: false
        default: true
        }
    }

    /// The mapping, if this value is one.
    public var mappingValue: ConfigMapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    /// The value at a path of mapping keys (`["training", "lr"]`), or nil if there is none.
    public func value(at path: [String]) -> ConfigValue? {
        var current = self
        for key in path {
            guard case .mapping(let mapping) = current, let next = mapping[key] else { return nil }
            current = next
        }
        return current
    }
}

extension ConfigValue: Equatable {
    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.float(let a), .float(let b)): (a.isNaN && b.isNaN) || (a == b && a.sign == b.sign)
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.list(let a), .list(let b)): a == b
        case (.mapping(let a), .mapping(let b)): a == b
        default: false
        }
    }
}

extension ConfigValue: CustomStringConvertible {
    /// The value on one line, in YAML flow style: `null`, `true`, `3`, `0.001`, `.nan`, `abc`, `"yes"`,
    /// `[1, 2.5]`, `{a: 1}`.
    ///
    /// This is the string form of params and the form used in messages. A string is written plain when
    /// ``PlainScalar`` would read it back as the same string and it holds no flow indicator, else
    /// double-quoted with YAML escapes; floats use Swift's shortest round-trip digits (`1e-10`, `0.1`).
    /// The text read back as a `--set` value (``ConfigOverride``) gives the same value.
    public var description: String {
        var out = ""
        ConfigValue.writeFlow(self, to: &out)
        return out
    }

    static func writeFlow(_ value: ConfigValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += flowFloat(d)
        case .string(let s): out += flowString(s)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                writeFlow(item, to: &out)
            }
            out += "]"
        case .mapping(let mapping):
            out += "{"
            for (index, entry) in mapping.entries.enumerated() {
                if index > 0 { out += ", " }
                out += flowString(entry.key)
                out += ": "
                writeFlow(entry.value, to: &out)
            }
            out += "}"
        }
    }

    /// Swift's shortest round-trip digits, with YAML's spellings of the special values.
    static func flowFloat(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        return d.description
    }

    /// A string plain when it is safe in a flow collection and reads back as itself, else double-quoted.
    static func flowString(_ s: String) -> String {
        if isFlowPlainSafe(s), PlainScalar.resolve(s) == .string(s) { return s }
        return doubleQuoted(s)
    }

    static func isFlowPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if first == " " || last == " " || last == ":" { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        var previous: Unicode.Scalar = " "
        for scalar in s.unicodeScalars {
            if !isPlainPrintable(scalar) || ",[]{}#".unicodeScalars.contains(scalar) { return false }
            if previous == ":" && scalar == " " { return false }
            previous = scalar
        }
        return true
    }

    /// True for characters that may appear unescaped in a YAML scalar: printable in YAML's sense and
    /// not a line break (so not tab, C0/C1 controls, DEL, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF).
    public static func isPlainPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: true
        case 0xA0...0xD7FF: scalar.value != 0x2028 && scalar.value != 0x2029
        case 0xE000...0xFFFD: scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The string in YAML double quotes, on one line: `"`, `\` and every character that
    /// ``isPlainPrintable(_:)`` rejects escaped (`\n`, `\t`, `\x7F`, `\u2028`, …).
    public static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\0": out += "\\0"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0B}": out += "\\v"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case "\u{1B}": out += "\\e"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if isPlainPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension ConfigValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: ConfigValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .mapping(ConfigMapping(elements.map { (key: $0.0, value: $0.1) }))
    }
}
