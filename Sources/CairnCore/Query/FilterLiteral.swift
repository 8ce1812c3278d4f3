/// A value written in a filter: a number (`0.5`, `-3`, `1e-3`) or a quoted string (`'adam'`, `"adam"`).
public enum FilterLiteral: Sendable, Hashable, CustomStringConvertible {
    /// A number, with the text it was written as.
    case number(Double, text: String)
    /// A string, without its quotes.
    case string(String)

    /// The number this literal is, or spells (`'0.001'` is the number 0.001 too); nil otherwise.
    public var numericValue: Double? {
        switch self {
        case .number(let value, _): value
        case .string(let text): RunFacts.number(text)
        }
    }

    /// The literal's text: a number as written, a string without quotes.
    public var text: String {
        switch self {
        case .number(_, let text): text
        case .string(let text): text
        }
    }

    public var description: String {
        switch self {
        case .number(_, let text): text
        case .string(let text): "'" + text.replacingAll("'", with: "''") + "'"
        }
    }
}

extension String {
    /// `self` with every `target` replaced (CairnCore does not import Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
