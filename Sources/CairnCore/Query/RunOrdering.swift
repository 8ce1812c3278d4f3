/// One key of a search's order: `metrics.loss`, `params.lr DESC`, `attributes.start_time ASC`.
///
/// Runs lacking the key come last whichever the direction. Params order as numbers where they are
/// numbers, then as text. Ties are broken by the start time, newest first, then the run id, as MLflow
/// breaks them.
public struct RunOrdering: Sendable, Hashable, CustomStringConvertible {
    /// What the runs are ordered by.
    public var field: FilterField
    /// Largest first.
    public var descending: Bool

    /// An ordering.
    public init(_ field: FilterField, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    /// Reads `FIELD [ASC|DESC]`.
    /// - Throws: ``FilterError`` naming the column where reading failed.
    public init(parsing text: String) throws(FilterError) {
        self = try FilterGrammar.ordering(text)
    }

    /// MLflow's order when none is given: newest first.
    public static let newestFirst = RunOrdering(.attribute(.startTime), descending: true)

    public var description: String { "\(field) " + (descending ? "DESC" : "ASC") }
}
