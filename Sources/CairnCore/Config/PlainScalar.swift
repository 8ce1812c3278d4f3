/// The type of an unquoted (plain) scalar in a config file or a `--set` value.
///
/// The rules are PyYAML's YAML 1.1 implicit resolvers (what `yaml.safe_load` does), with a few
/// deliberate differences:
///
/// - null: `~`, `null`, `Null`, `NULL`, and the empty text.
/// - bool: `true`/`false`, `yes`/`no`, `on`/`off`, each in lower case, Capitalized or UPPER CASE.
/// - int: decimal with an optional sign and `_` separators (`-12`, `1_000`), `0x1F`, `0b101`, leading-0
///   octal `012` (= 10) and, unlike PyYAML, `0o12`. Text that would be an integer outside Int64 stays a
///   string (PyYAML would make a Python int).
/// - float: PyYAML's forms (`1.5`, `1.`, `.5`, `1.5e-3`, `1.0e+10`, `.inf`, `-.inf`, `+.inf`, `.nan`,
///   in the same capitalisations) and, unlike PyYAML, exponents without a dot or without a sign
///   (`3e-4`, `1e5`, `1E+3`, `2.5e3`) and a signed leading dot (`-.5`): PyYAML reads those as strings.
/// - everything else is a string, including PyYAML's sexagesimal numbers (`1:30`, which PyYAML reads as
///   the int 90), timestamps (`2024-01-31`, a date in PyYAML), `08` and `09` (strings in PyYAML too),
///   and `0x`, `0b`, `0o` without digits.
public enum PlainScalar {
    /// The value of an unquoted scalar.
    /// - Parameter text: the scalar's text, as written (no surrounding spaces).
    public static func resolve(_ text: String) -> ConfigValue {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
            return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
            return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF":
            return .float(-.infinity)
        case ".nan", ".NaN", ".NAN":
            return .float(.nan)
        default:
            break
        }
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: ".") || isDigit(first) else {
            return .string(text)
        }
        switch integer(bytes) {
        case .value(let value): return .int(value)
        case .outOfRange: return .string(text)
        case .notAnInteger: break
        }
        if let value = float(bytes) { return .float(value) }
        return .string(text)
    }

    private enum IntegerResult {
        case value(Int64)
        case outOfRange
        case notAnInteger
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func digitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case 0x30...0x39: UInt64(byte - 0x30)
        case 0x61...0x66: UInt64(byte - 0x61 + 10)
        case 0x41...0x46: UInt64(byte - 0x41 + 10)
        default: nil
        }
    }

    private static func integer(_ bytes: [UInt8]) -> IntegerResult {
        var rest = bytes[...]
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        guard let lead = rest.first else { return .notAnInteger }
        let radix: UInt64
        var digits: ArraySlice<UInt8>
        var needsDigit = true
        if lead == UInt8(ascii: "0"), rest.count >= 2 {
            switch rest[rest.startIndex + 1] {
            case UInt8(ascii: "x"): radix = 16; digits = rest.dropFirst(2)
            case UInt8(ascii: "b"): radix = 2; digits = rest.dropFirst(2)
            case UInt8(ascii: "o"): radix = 8; digits = rest.dropFirst(2)
            default: radix = 8; digits = rest.dropFirst(); needsDigit = false  // 012, 0_1
            }
        } else if isDigit(lead) {
            radix = 10; digits = rest
        } else {
            return .notAnInteger
        }
        var magnitude: UInt64 = 0
        var sawDigit = false
        for byte in digits {
            if byte == UInt8(ascii: "_") { continue }
            guard let digit = digitValue(byte), digit < radix else { return .notAnInteger }
            sawDigit = true
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return .outOfRange }
            magnitude = sum
        }
        if needsDigit && !sawDigit { return .notAnInteger }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return .outOfRange }
            return .value(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
        }
        if magnitude > UInt64(Int64.max) { return .outOfRange }
        return .value(Int64(magnitude))
    }

    /// `[-+]? ( D ('.' [0-9_]*)? | '.' D ) ([eE] [-+]? [0-9]+)?` with `D = [0-9][0-9_]*`, holding a dot
    /// or an exponent.
    private static func float(_ bytes: [UInt8]) -> Double? {
        var position = 0
        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }
        if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
        var sawDot = false
        var sawExponent = false
        if let byte = peek(), isDigit(byte) {
            while let byte = peek(), isDigit(byte) || byte == UInt8(ascii: "_") { position += 1 }
            if peek() == UInt8(ascii: ".") {
                sawDot = true
                position += 1
                while let byte = peek(), isDigit(byte) || byte == UInt8(ascii: "_") { position += 1 }
            }
        } else if peek() == UInt8(ascii: ".") {
            sawDot = true
            position += 1
            guard let byte = peek(), isDigit(byte) else { return nil }
            while let byte = peek(), isDigit(byte) || byte == UInt8(ascii: "_") { position += 1 }
        } else {
            return nil
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            sawExponent = true
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let byte = peek(), isDigit(byte) else { return nil }
            while let byte = peek(), isDigit(byte) { position += 1 }
        }
        guard position == bytes.count, sawDot || sawExponent else { return nil }
        let cleaned = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        return Double(cleaned)
    }
}
