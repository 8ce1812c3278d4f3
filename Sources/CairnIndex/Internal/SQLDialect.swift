/// What differs between the databases an index may live in; the rest of the SQL is portable
/// (joins, `IN`, `LIMIT … OFFSET …`, `IS NULL` in `ORDER BY`).
struct SQLDialect: Sendable {
    /// `expression LIKE ?` with the filter's semantics: case-sensitive, `%` and `_`, no escape; with
    /// `foldingCase`, ASCII letters match either case.
    var like: @Sendable (_ expression: String, _ foldingCase: Bool) -> String
    /// A text expression compared and ordered by bytes.
    var bytewise: @Sendable (_ expression: String) -> String
    /// The `LIMIT` clause of a query without a limit (needed before an `OFFSET`).
    var unlimited: String

    /// SQLite: LIKE through Cairn's own function (``LikePattern``: SQLite's LIKE folds ASCII case unless a
    /// deprecated pragma is set), texts compare by bytes already (BINARY collation).
    static let sqlite = SQLDialect(
        like: { expression, fold in "cairn_like(\(expression), ?, \(fold ? 1 : 0))" },
        bytewise: { $0 },
        unlimited: "LIMIT -1"
    )

    /// PostgreSQL: LIKE and `lower(…) LIKE lower(…)`, texts in the C collation.
    static let postgres = SQLDialect(
        like: { expression, fold in fold ? "lower(\(expression)) LIKE lower(?)" : "\(expression) LIKE ?" },
        bytewise: { "(\($0)) COLLATE \"C\"" },
        unlimited: "LIMIT ALL"
    )
}
