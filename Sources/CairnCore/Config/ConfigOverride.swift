/// One `--set a.b.c=VALUE` override of a run's config, or one `--add a.b.c=VALUE` (Hydra's `+a.b.c=VALUE`)
/// addition of a key the config does not have.
///
/// The key is the text before the first `=`, split on `.` into mapping keys (so a key holding a `.` cannot
/// be overridden); a leading `+` marks an addition. The value is typed like YAML:
///
/// - a plain value is typed by ``PlainScalar`` after trimming spaces and tabs (`3e-4` float, `10` int,
///   `yes` bool, `abc` string, `a,b` and `x: y` strings); an empty value is null, as in YAML;
/// - `"…"` (YAML double-quoted, with its escapes) or `'…'` (YAML single-quoted, `''` for a quote) is a
///   string;
/// - `[…]` is a flow list and `{…}` a flow mapping, whose items follow the same rules (plain items end
///   at `,`, `]`, `}`; a mapping key ends at `: `); nested lists and mappings are allowed.
public struct ConfigOverride: Sendable, Equatable {
    /// The mapping keys leading to the value (`["training", "lr"]`).
    public let path: [String]
    /// The typed value.
    public let value: ConfigValue
    /// The override as given (`training.lr=3e-4`, `+training.warmup=100`).
    public let text: String
    /// True for an addition (`--add`, or a key written `+key`): the key must not be in the config yet.
    public let adds: Bool

    /// The option that gave it, for messages: `--add` or `--set`.
    public var option: String { adds && !text.hasPrefix("+") ? "--add" : "--set" }

    /// The dotted key (`training.lr`).
    public var key: String { path.joined(separator: ".") }

    /// The value's text as given, without surrounding spaces (`3e-4`).
    public var valueText: String {
        guard let equals = text.firstIndex(of: "=") else { return "" }
        return ConfigOverride.trimmed(text[text.index(after: equals)...])
    }

    /// True when the value was written plain (not quoted, not a list or mapping) and is not null:
    /// a bool or number that a string field takes as its text.
    var isPlainNonNull: Bool {
        guard let first = valueText.first else { return false }
        if first == "\"" || first == "'" || first == "[" || first == "{" { return false }
        return value != .null
    }

    /// An override made from its parts.
    public init(path: [String], value: ConfigValue, text: String? = nil, adds: Bool = false) {
        self.path = path
        self.value = value
        self.text = text ?? path.joined(separator: ".") + "=" + value.description
        self.adds = adds
    }

    /// Parses `a.b.c=VALUE`, or `+a.b.c=VALUE` (an addition, Hydra's spelling).
    /// - Parameters:
    ///   - text: the argument of `--set` (or of `--add`).
    ///   - adding: true for the argument of `--add`: the key must be new, with or without a `+`.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` when there is no `=`, the key or
    ///   one of its components is empty, the key starts with `++`, or the value is a malformed quoted
    ///   string, list or mapping.
    public init(parsing text: String, adding: Bool = false) throws(CairnError) {
        let option = adding ? "--add" : "--set"
        let shown = option + " " + ConfigValue.doubleQuoted(text)
        guard let equals = text.firstIndex(of: "=") else {
            throw CairnError(.invalidConfig, "\(shown) has no '='",
                             hint: "write \(option) KEY=VALUE, such as \(option) training.lr=0.001")
        }
        var key = text[..<equals]
        if key.hasPrefix("++") {
            throw CairnError(.invalidConfig, "\(shown): '++' (add or override) is not supported",
                             hint: "write --set KEY=VALUE for a key the config has, --add KEY=VALUE (or +KEY=VALUE) for a new one")
        }
        let plus = key.hasPrefix("+")
        if plus { key = key.dropFirst() }
        if key.isEmpty {
            throw CairnError(.invalidConfig, "\(shown) has an empty key",
                             hint: "write \(option) KEY=VALUE, such as \(option) training.lr=0.001")
        }
        let components = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if components.contains(where: \.isEmpty) {
            throw CairnError(.invalidConfig, "\(shown): the key '\(key)' has an empty component",
                             hint: "remove the leading, trailing or doubled '.'")
        }
        self.path = components
        self.text = text
        self.adds = adding || plus
        var parser = FlowParser(String(text[text.index(after: equals)...]), shown: shown)
        self.value = try parser.parseTopLevel()
    }

    static func trimmed(_ text: Substring) -> String {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}

extension ConfigValue {
    /// The value `--set KEY=text` would give: a flow list or mapping, a quoted string, or a plain scalar
    /// typed as PyYAML would (``PlainScalar``). Text that does not parse (an unclosed `[`) stays a string.
    /// - Parameter text: the value's text.
    public init(typing text: String) {
        var parser = FlowParser(text, shown: text)
        self = (try? parser.parseTopLevel()) ?? .string(text)  // malformed flow text is plain text
    }
}

/// A small parser for YAML flow values: quoted strings, `[…]`, `{…}` and plain scalars.
struct FlowParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private let shown: String

    init(_ text: String, shown: String) {
        scalars = Array(text.unicodeScalars)
        self.shown = shown
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func skipSpaces() {
        while let scalar = current, scalar == " " || scalar == "\t" { position += 1 }
    }

    private func fail(_ problem: String, hint: String? = nil) -> CairnError {
        CairnError(.invalidConfig, "\(shown): \(problem) at character \(position + 1) of the value",
                   hint: hint ?? "fix the value, or quote it to mean a string: --set 'key=\"…\"'")
    }

    /// The whole value: a flow collection or quoted string that must end the text, or a plain scalar.
    mutating func parseTopLevel() throws(CairnError) -> ConfigValue {
        skipSpaces()
        guard let first = current else { return .null }
        if first == "[" || first == "{" || first == "\"" || first == "'" {
            let value = try parseValue()
            skipSpaces()
            if current != nil { throw fail("unexpected text after the value") }
            return value
        }
        var text = String(String.UnicodeScalarView(scalars[position...]))
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return PlainScalar.resolve(text)
    }

    private mutating func parseValue() throws(CairnError) -> ConfigValue {
        skipSpaces()
        switch current {
        case "[": return try parseList()
        case "{": return try parseMapping()
        case "\"": return .string(try parseDoubleQuoted())
        case "'": return .string(try parseSingleQuoted())
        default: return PlainScalar.resolve(parsePlain(inKey: false))
        }
    }

    private mutating func parseList() throws(CairnError) -> ConfigValue {
        position += 1
        var items: [ConfigValue] = []
        while true {
            skipSpaces()
            guard let scalar = current else {
                throw fail("the list is not closed", hint: "close the list with ']'")
            }
            if scalar == "]" { position += 1; return .list(items) }
            if scalar == "," { throw fail("an empty list item") }
            items.append(try parseValue())
            skipSpaces()
            switch current {
            case ",": position += 1
            case "]": break
            case nil: throw fail("the list is not closed", hint: "close the list with ']'")
            default: throw fail("expected ',' or ']' in the list")
            }
        }
    }

    private mutating func parseMapping() throws(CairnError) -> ConfigValue {
        position += 1
        var mapping = ConfigMapping()
        while true {
            skipSpaces()
            guard let scalar = current else {
                throw fail("the mapping is not closed", hint: "close the mapping with '}'")
            }
            if scalar == "}" { position += 1; return .mapping(mapping) }
            if scalar == "," { throw fail("an empty mapping entry") }
            let key: String
            switch scalar {
            case "\"": key = try parseDoubleQuoted()
            case "'": key = try parseSingleQuoted()
            case "[", "{": throw fail("a mapping key must be a string")
            default: key = parsePlain(inKey: true)
            }
            if mapping[key] != nil { throw fail("the key '\(key)' appears twice in the mapping") }
            skipSpaces()
            guard current == ":" else { throw fail("expected ':' after the key '\(key)'") }
            position += 1
            skipSpaces()
            let value: ConfigValue
            if current == "," || current == "}" { value = .null } else { value = try parseValue() }
            mapping.set(key, value)
            skipSpaces()
            switch current {
            case ",": position += 1
            case "}": break
            case nil: throw fail("the mapping is not closed", hint: "close the mapping with '}'")
            default: throw fail("expected ',' or '}' in the mapping")
            }
        }
    }

    /// A plain scalar inside a flow collection: up to `,`, `[`, `]`, `{`, `}`, or (in a key, or before an
    /// indicator) `:` followed by a space or the end; trailing spaces dropped.
    private mutating func parsePlain(inKey: Bool) -> String {
        var text = String.UnicodeScalarView()
        while let scalar = current {
            if scalar == "," || scalar == "[" || scalar == "]" || scalar == "{" || scalar == "}" { break }
            if scalar == ":" {
                let next = position + 1 < scalars.count ? scalars[position + 1] : nil
                if inKey && (next == nil || next == " " || next == "\t" || next == "," || next == "}") { break }
            }
            text.append(scalar)
            position += 1
        }
        var result = String(text)
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }

    private mutating func parseSingleQuoted() throws(CairnError) -> String {
        position += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            position += 1
            if scalar == "'" {
                if current == "'" { text.append("'"); position += 1; continue }
                return String(text)
            }
            text.append(scalar)
        }
        throw fail("the quoted string is not closed", hint: "end it with '")
    }

    private mutating func parseDoubleQuoted() throws(CairnError) -> String {
        position += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            position += 1
            if scalar == "\"" { return String(text) }
            if scalar != "\\" { text.append(scalar); continue }
            guard let escape = current else { break }
            position += 1
            switch escape {
            case "0": text.append("\0")
            case "a": text.append("\u{07}")
            case "b": text.append("\u{08}")
            case "t", "\t": text.append("\t")
            case "n": text.append("\n")
            case "v": text.append("\u{0B}")
            case "f": text.append("\u{0C}")
            case "r": text.append("\r")
            case "e": text.append("\u{1B}")
            case " ": text.append(" ")
            case "\"": text.append("\"")
            case "/": text.append("/")
            case "\\": text.append("\\")
            case "N": text.append("\u{85}")
            case "_": text.append("\u{A0}")
            case "L": text.append("\u{2028}")
            case "P": text.append("\u{2029}")
            case "x": text.append(try hexEscape(2))
            case "u": text.append(try hexEscape(4))
            case "U": text.append(try hexEscape(8))
            default:
                position -= 1
                throw fail("unknown escape '\\\(escape)' in the quoted string", hint: "write '\\\\' for a backslash")
            }
        }
        throw fail("the quoted string is not closed", hint: "end it with \"")
    }

    private mutating func hexEscape(_ count: Int) throws(CairnError) -> Unicode.Scalar {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let scalar = current, scalar.properties.isASCIIHexDigit,
                  let digit = UInt32(String(scalar), radix: 16) else {
                throw fail("expected \(count) hex digits in the escape")
            }
            value = value * 16 + digit
            position += 1
        }
        guard let scalar = Unicode.Scalar(value) else { throw fail("the escape is not a valid character") }
        return scalar
    }
}
