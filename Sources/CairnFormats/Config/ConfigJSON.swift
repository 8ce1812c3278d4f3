import CairnCore

/// Strict JSON (RFC 8259) to and from ``ConfigValue``.
///
/// Reading keeps the order of object members, tells ints from floats by their spelling (`1` is an int;
/// `1.0`, `1e3` are floats; an integer outside Int64 is kept as a string of its digits, as in YAML), and
/// rejects duplicate keys, comments, trailing commas, `NaN`/`Infinity` (unless asked to take them, as
/// Python's `json` module writes them) and anything after the value, with the file name, line and column
/// of the problem.
public enum ConfigJSON {
    /// Parses JSON text.
    /// - Parameters:
    ///   - text: the JSON.
    ///   - fileName: the file's name, used in errors.
    ///   - allowingNonFinite: also read `NaN`, `Infinity` and `-Infinity` as floats (what Python's
    ///     `json` module writes; the agent protocol takes them).
    /// - Returns: the value (any JSON value; ``ConfigFile`` requires an object).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` naming `file:line:column`.
    public static func parse(_ text: String, fileName: String, allowingNonFinite: Bool = false) throws(CairnError) -> ConfigValue {
        var reader = JSONReader(text, fileName: fileName, allowingNonFinite: allowingNonFinite)
        return try reader.document()
    }

    /// The value as JSON: compact on one line, or indented by two spaces with `pretty`.
    ///
    /// Floats use Swift's shortest round-trip digits and always hold a `.` or an exponent, so they read
    /// back as floats; NaN and the infinities, which JSON cannot hold, are written as `null`.
    public static func string(_ value: ConfigValue, pretty: Bool = false) -> String {
        var out = ""
        write(value, indent: pretty ? 0 : nil, to: &out)
        return out
    }

    private static func write(_ value: ConfigValue, indent: Int?, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += d.isFinite ? d.description : "null"
        case .string(let s): writeString(s, to: &out)
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                newline(indent.map { $0 + 2 }, to: &out)
                write(item, indent: indent.map { $0 + 2 }, to: &out)
            }
            newline(indent, to: &out)
            out += "]"
        case .mapping(let mapping):
            if mapping.isEmpty { out += "{}"; return }
            out += "{"
            for (index, entry) in mapping.entries.enumerated() {
                if index > 0 { out += "," }
                newline(indent.map { $0 + 2 }, to: &out)
                writeString(entry.key, to: &out)
                out += indent == nil ? ":" : ": "
                write(entry.value, indent: indent.map { $0 + 2 }, to: &out)
            }
            newline(indent, to: &out)
            out += "}"
        }
    }

    private static func newline(_ indent: Int?, to out: inout String) {
        guard let indent else { return }
        out += "\n" + String(repeating: " ", count: indent)
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// The JSON reader behind ``ConfigJSON/parse(_:fileName:)``.
private struct JSONReader {
    private let scalars: [Unicode.Scalar]
    private let fileName: String
    private let allowingNonFinite: Bool
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    init(_ text: String, fileName: String, allowingNonFinite: Bool) {
        scalars = Array(text.unicodeScalars)
        self.fileName = fileName
        self.allowingNonFinite = allowingNonFinite
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func fail(_ problem: String, line: Int? = nil, column: Int? = nil) -> CairnError {
        let line = line ?? self.line
        let column = column ?? (position - lineStart + 1)
        return CairnError(.invalidConfig, "\(fileName):\(line):\(column): \(problem)",
                          hint: "fix the JSON at \(fileName) line \(line), column \(column)")
    }

    private func shownCurrent() -> String {
        guard let scalar = current else { return "the end of the file" }
        if scalar == "\n" { return "the end of the line" }
        if scalar.value < 0x20 { return "a control character" }
        return "'\(Character(scalar))'"
    }

    private mutating func skipWhitespace() {
        while let scalar = current {
            switch scalar {
            case " ", "\t", "\r": position += 1
            case "\n": position += 1; line += 1; lineStart = position
            default: return
            }
        }
    }

    mutating func document() throws(CairnError) -> ConfigValue {
        if current == "\u{FEFF}" { position += 1; lineStart = position }
        skipWhitespace()
        if current == nil { throw fail("the file is empty; expected a JSON object") }
        let value = try self.value()
        skipWhitespace()
        if current != nil { throw fail("unexpected \(shownCurrent()) after the JSON value") }
        return value
    }

    private mutating func value() throws(CairnError) -> ConfigValue {
        switch current {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .string(try string())
        case "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9": return try number()
        case "t": try literal("true"); return .bool(true)
        case "f": try literal("false"); return .bool(false)
        case "n": try literal("null"); return .null
        case "N" where allowingNonFinite: try literal("NaN"); return .float(.nan)
        case "I" where allowingNonFinite: try literal("Infinity"); return .float(.infinity)
        default: throw fail("expected a JSON value, found \(shownCurrent())")
        }
    }

    private mutating func literal(_ word: String) throws(CairnError) {
        for expected in word.unicodeScalars {
            guard current == expected else { throw fail("expected '\(word)', found \(shownCurrent())") }
            position += 1
        }
    }

    private mutating func enter() throws(CairnError) {
        depth += 1
        if depth > 512 { throw fail("the JSON nests deeper than 512 levels") }
    }

    private mutating func object() throws(CairnError) -> ConfigValue {
        try enter()
        position += 1
        var mapping = ConfigMapping()
        var firstLines: [[UInt8]: Int] = [:]
        skipWhitespace()
        if current == "}" { position += 1; depth -= 1; return .mapping(mapping) }
        while true {
            skipWhitespace()
            guard current == "\"" else { throw fail("expected a key in double quotes, found \(shownCurrent())") }
            let keyLine = line, keyColumn = position - lineStart + 1
            let key = try string()
            if let first = firstLines[Array(key.utf8)] {
                throw fail("duplicate key \(ConfigValue.doubleQuoted(key)) (first at line \(first))",
                           line: keyLine, column: keyColumn)
            }
            firstLines[Array(key.utf8)] = keyLine
            skipWhitespace()
            guard current == ":" else { throw fail("expected ':' after the key, found \(shownCurrent())") }
            position += 1
            skipWhitespace()
            mapping.set(key, try value())
            skipWhitespace()
            switch current {
            case ",": position += 1
            case "}": position += 1; depth -= 1; return .mapping(mapping)
            default: throw fail("expected ',' or '}' in the object, found \(shownCurrent())")
            }
        }
    }

    private mutating func array() throws(CairnError) -> ConfigValue {
        try enter()
        position += 1
        var items: [ConfigValue] = []
        skipWhitespace()
        if current == "]" { position += 1; depth -= 1; return .list(items) }
        while true {
            skipWhitespace()
            items.append(try value())
            skipWhitespace()
            switch current {
            case ",": position += 1
            case "]": position += 1; depth -= 1; return .list(items)
            default: throw fail("expected ',' or ']' in the array, found \(shownCurrent())")
            }
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x39
    }

    private mutating func number() throws(CairnError) -> ConfigValue {
        let start = position
        if current == "-" { position += 1 }
        if allowingNonFinite && current == "I" {
            try literal("Infinity")
            return .float(-.infinity)
        }
        if current == "0" {
            position += 1
            if JSONReader.isDigit(current) { throw fail("a number may not start with 0") }
        } else if JSONReader.isDigit(current) {
            while JSONReader.isDigit(current) { position += 1 }
        } else {
            throw fail("expected a digit, found \(shownCurrent())")
        }
        var isFloat = false
        if current == "." {
            isFloat = true
            position += 1
            guard JSONReader.isDigit(current) else { throw fail("expected a digit after '.', found \(shownCurrent())") }
            while JSONReader.isDigit(current) { position += 1 }
        }
        if current == "e" || current == "E" {
            isFloat = true
            position += 1
            if current == "+" || current == "-" { position += 1 }
            guard JSONReader.isDigit(current) else {
                throw fail("expected a digit in the exponent, found \(shownCurrent())")
            }
            while JSONReader.isDigit(current) { position += 1 }
        }
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        if !isFloat {
            if let int = Int64(text) { return .int(int) }
            return .string(text)
        }
        guard let double = Double(text) else { throw fail("the number \(text) cannot be read") }
        return .float(double)
    }

    private mutating func string() throws(CairnError) -> String {
        position += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            if scalar == "\"" { position += 1; return String(text) }
            if scalar.value < 0x20 {
                throw fail("a control character in a string; write it as an escape such as \\n")
            }
            position += 1
            if scalar != "\\" { text.append(scalar); continue }
            let escape = current
            position += 1
            switch escape {
            case "\"": text.append("\"")
            case "\\": text.append("\\")
            case "/": text.append("/")
            case "b": text.append("\u{08}")
            case "f": text.append("\u{0C}")
            case "n": text.append("\n")
            case "r": text.append("\r")
            case "t": text.append("\t")
            case "u":
                let high = try hex4()
                if (0xD800..<0xDC00).contains(high) {
                    guard current == "\\", position + 1 < scalars.count, scalars[position + 1] == "u" else {
                        throw fail("an unpaired surrogate \\u\(String(high, radix: 16))")
                    }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else {
                        throw fail("an unpaired surrogate \\u\(String(high, radix: 16))")
                    }
                    text.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!)
                } else if let scalar = Unicode.Scalar(high) {
                    text.append(scalar)
                } else {
                    throw fail("an unpaired surrogate \\u\(String(high, radix: 16))")
                }
            default:
                position -= 1
                throw fail("unknown escape in a string, found \(shownCurrent()) after '\\'")
            }
        }
        throw fail("the string is not closed")
    }

    private mutating func hex4() throws(CairnError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let scalar = current, scalar.properties.isASCIIHexDigit,
                  let digit = UInt32(String(scalar), radix: 16) else {
                throw fail("expected 4 hex digits after \\u, found \(shownCurrent())")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }
}
