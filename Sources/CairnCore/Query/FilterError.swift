/// Why a filter or an ordering could not be read: the column (1-based, in characters) where reading
/// stopped and what was expected there.
public struct FilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The column of the filter's text where the problem is, from 1.
    public var column: Int
    /// What is wrong there, as a sentence without the column ("expected an operator …").
    public var message: String

    /// An error at `column`.
    public init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "at column \(column): \(message)" }
}

extension CairnError {
    /// The one-line error the CLI prints for a filter (`what` is `filter` or `ordering`).
    public init(_ error: FilterError, in text: String, what: String = "filter") {
        let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
        self.init(.invalidValue, "the \(what) '\(shown)' is not valid \(error.description)",
                  hint: "see 'Filters' in the README for the syntax")
    }
}
