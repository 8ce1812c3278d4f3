/// A `KEY=VALUE` word from a command line or a client: a tag, a param, a layout field, a metric value
/// or a checkpoint selector such as `epoch=10`.
///
/// This is the one place such words are split. The split is at the first `=`, so values may contain
/// `=` (`note=a b=c`). What a key may be and what a value must parse to are checked where the rules
/// live: tag and param keys by the store (MLflow's limits), layout fields by the layout, metric values
/// by ``number()``.
public struct Assignment: Sendable, Hashable, CustomStringConvertible {
    /// The text before the first `=`.
    public var key: String
    /// The text after the first `=` (possibly empty).
    public var value: String

    /// An assignment of `value` to `key`.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Splits `KEY=VALUE` at the first `=`; nil when there is no `=`.
    /// - Parameter text: the word as given.
    public init?(_ text: String) {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        key = String(text[..<eq])
        value = String(text[text.index(after: eq)...])
    }

    /// Splits `KEY=VALUE` at the first `=`, or says what is wrong.
    /// - Parameters:
    ///   - text: the word as given.
    ///   - what: what the assignment sets, for the error message (`tag`, `param`, `metric`, `field`).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidValue`` when there is no `=`, the key is
    ///   empty, or the value holds a NUL character.
    public init(parsing text: String, what: String) throws(CairnError) {
        guard let parsed = Assignment(text) else {
            throw CairnError(.invalidValue, "\(NameComponent.quoted(text)) is not a \(what) assignment", hint: "write KEY=VALUE")
        }
        if parsed.key.isEmpty {
            throw CairnError(.invalidValue, "the \(what) key of \(NameComponent.quoted(text)) is empty", hint: "write KEY=VALUE")
        }
        if parsed.value.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw CairnError(.invalidValue, "the \(what) \(NameComponent.quoted(parsed.key)) has a NUL character in its value")
        }
        self = parsed
    }

    /// `KEY=VALUE`.
    public var description: String { key + "=" + value }

    /// The value as a number, for metrics: a decimal that fits a 64-bit float (``MetricValue``), and
    /// `nan`, `inf`, `+inf`, `-inf`, `infinity`, `-infinity` in any case.
    /// - Parameter what: what the number is, for the error message (`metric`).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidValue`` naming the key and the value.
    public func number(what: String = "metric") throws(CairnError) -> Double {
        guard let number = MetricValue.parse(value) else {
            let problem = MetricValue.problem(value) ?? "which is not a number"
            throw CairnError(.invalidValue, "the \(what) \(key) has the value '\(value)', \(problem)",
                             hint: "write KEY=NUMBER, e.g. loss=0.31 (nan and inf are numbers too)")
        }
        return number
    }
}

extension Array where Element == Assignment {
    /// The assignments as a dictionary; a later assignment to the same key wins.
    public var dictionary: [String: String] {
        var result: [String: String] = [:]
        for assignment in self { result[assignment.key] = assignment.value }
        return result
    }
}
