/// A filter over runs in MLflow's `search_runs` syntax: conditions joined by `AND`.
///
/// ```
/// metrics.`eval/loss` < 0.5 and params.training.lr > 0.001 and tags.team = 'vision'
/// attributes.status IN ('FINISHED', 'KILLED') and params.optimizer LIKE 'adam%'
/// ```
///
/// - Fields: `metrics.NAME` (the value at the metric's highest step; ``MetricName``), `params.KEY`,
///   `tags.KEY`, `attributes.NAME` (``RunAttribute``; a bare `status` also names an attribute, as in
///   MLflow), and Cairn's `checkpoints.best.KEY` / `checkpoints.last.KEY`. Keys with characters other
///   than letters (any script), digits, `_`, `.`, `/`, `-`, `:`, `@`, `+` go in backquotes (or double
///   quotes), a backquote inside doubled: ``params.`a b` ``.
/// - Values: numbers (`0.5`, `-3`, `1e-3`), strings in single or double quotes (a quote inside is
///   doubled: `'it''s'`).
/// - Metrics, checkpoint metrics and times compare with `=`, `!=`, `<`, `<=`, `>`, `>=` and a number.
///   Tags and text attributes with `=`, `!=`, `LIKE`, `ILIKE` (`%` any text, `_` one character; ILIKE
///   folds ASCII case), `IN (…)`, `NOT IN (…)` and quoted strings. Params as tags, and (Cairn's
///   extension) `<`, `<=`, `>`, `>=` with a number, and `=`/`!=` with an unquoted number, compare
///   numerically: a param matches when its text is a number.
/// - A run without the field, or whose metric's value is NaN, matches no condition on it.
public struct RunFilter: Sendable, Hashable, CustomStringConvertible {
    /// The conditions, all of which a run must meet; none matches every run.
    public var conditions: [FilterCondition]

    /// The longest filter read, in characters.
    public static let maximumLength = 16_384
    /// The most conditions in one filter.
    public static let maximumConditions = 256
    /// The most values in one `IN (…)` list.
    public static let maximumListLength = 1_000

    /// A filter of these conditions.
    public init(conditions: [FilterCondition] = []) {
        self.conditions = conditions
    }

    /// Reads a filter.
    /// - Throws: ``FilterError`` naming the column where reading failed and what was expected there.
    public init(parsing text: String) throws(FilterError) {
        conditions = try FilterGrammar.conditions(text)
    }

    /// True when `run` meets every condition.
    public func matches(_ run: RunFacts) -> Bool {
        conditions.allSatisfy { $0.matches(run) }
    }

    /// The filter, written back in the syntax it was read from.
    public var description: String {
        conditions.map(\.description).joined(separator: " AND ")
    }
}
