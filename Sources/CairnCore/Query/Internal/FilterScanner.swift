/// A cursor over a filter's characters (Unicode scalars), which knows its column.
struct FilterScanner {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// The 1-based column of the next character.
    var column: Int { index + 1 }
    var atEnd: Bool { index >= scalars.count }
    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func skipSpace() {
        while let scalar = peek, scalar.properties.isWhitespace { index += 1 }
    }

    /// Consumes `literal` if the text continues with it.
    mutating func take(_ literal: String) -> Bool {
        var probe = index
        for scalar in literal.unicodeScalars {
            guard probe < scalars.count, scalars[probe] == scalar else { return false }
            probe += 1
        }
        index = probe
        return true
    }

    /// A word: a letter or `_`, then letters, digits and `_` (ASCII).
    mutating func word() -> String? {
        guard let first = peek, Self.isWordStart(first) else { return nil }
        var text = ""
        while let scalar = peek, Self.isWordStart(scalar) || Self.isDigit(scalar) {
            text.unicodeScalars.append(scalar)
            index += 1
        }
        return text
    }

    /// The next word, upper-cased, without consuming it.
    func peekKeyword() -> String? {
        var copy = self
        return copy.word()?.uppercased()
    }

    /// A run of characters that may stand in a key without quotes; empty when there is none.
    mutating func bareKey() -> String {
        var text = ""
        while let scalar = peek, Self.isBareKeyScalar(scalar) {
            text.unicodeScalars.append(scalar)
            index += 1
        }
        return text
    }

    /// A quoted text if the next character is one of `quotes`: everything up to the closing quote, a
    /// doubled quote standing for one. Nil when the next character is no quote.
    /// - Throws: at the opening quote when the text ends before the closing one.
    mutating func quoted(_ quotes: String) throws(FilterError) -> String? {
        guard let open = peek, quotes.unicodeScalars.contains(open) else { return nil }
        let start = column
        index += 1
        var text = ""
        while let scalar = peek {
            index += 1
            if scalar == open {
                if peek == open {
                    index += 1
                } else {
                    return text
                }
            }
            text.unicodeScalars.append(scalar)
        }
        throw FilterError(column: start, "the quote \(open) opened here is never closed")
    }

    /// A number: `[-]digits[.digits][e[+-]digits]` or `[-].digits…`, not followed by a letter or `_`.
    mutating func number() -> (value: Double, text: String)? {
        var probe = index
        var text = ""
        func digits() -> Bool {
            var any = false
            while probe < scalars.count, Self.isDigit(scalars[probe]) {
                text.unicodeScalars.append(scalars[probe])
                probe += 1
                any = true
            }
            return any
        }
        if probe < scalars.count, scalars[probe] == "-" || scalars[probe] == "+" {
            text.unicodeScalars.append(scalars[probe])
            probe += 1
        }
        var mantissa = digits()
        if probe < scalars.count, scalars[probe] == "." {
            text.append(".")
            probe += 1
            mantissa = digits() || mantissa
        }
        guard mantissa else { return nil }
        if probe < scalars.count, scalars[probe] == "e" || scalars[probe] == "E" {
            let mark = (probe, text)
            text.append("e")
            probe += 1
            if probe < scalars.count, scalars[probe] == "-" || scalars[probe] == "+" {
                text.unicodeScalars.append(scalars[probe])
                probe += 1
            }
            if !digits() { (probe, text) = mark }
        }
        if probe < scalars.count, Self.isWordStart(scalars[probe]) { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        index = probe
        return (value, text)
    }

    /// What the text holds at the cursor, for error messages: a short quote of it, or "the end".
    var found: String {
        guard !atEnd else { return "the end of the filter" }
        let rest = String(String.UnicodeScalarView(scalars[index..<min(scalars.count, index + 20)]))
        return "'" + rest + (scalars.count > index + 20 ? "..." : "") + "'"
    }

    static func isWordStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    /// Letters, digits, `_`, `.`, `/`, `-`, `:`, `@`, `+` and any non-ASCII letter: what a key may hold
    /// without quotes.
    static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        if isWordStart(scalar) || isDigit(scalar) { return true }
        switch scalar {
        case ".", "/", "-", ":", "@", "+": return true
        default: return scalar.value > 0x7F && !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
        }
    }
}
