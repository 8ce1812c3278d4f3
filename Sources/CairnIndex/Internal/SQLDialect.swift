/// What differs between the databases an index may live in; the rest of the SQL is portable
/// (joins, `IN`, `LIMIT … OFFSET …`, `IS NULL` in `ORDER BY`).
package struct SQLDialect: Sendable {
    /// `expression LIKE ?` with the filter's semantics: case-sensitive, `%` and `_`, no escape; with
    /// `foldingCase`, ASCII letters match either case.
    package var like: @Sendable (_ expression: String, _ foldingCase: Bool) -> String
    /// A text expression compared and ordered by bytes.
    package var bytewise: @Sendable (_ expression: String) -> String
    /// The `LIMIT` clause of a query without a limit (needed before an `OFFSET`).
    package var unlimited: String

    /// SQLite: LIKE through Cairn's own function (``LikePattern``: SQLite's LIKE folds ASCII case unless a
    /// deprecated pragma is set), texts compare by bytes already (BINARY collation).
    package static let sqlite = SQLDialect(
        like: { expression, fold in "cairn_like(\(expression), ?, \(fold ? 1 : 0))" },
        bytewise: { $0 },
        unlimited: "LIMIT -1"
    )

    /// PostgreSQL: texts in the C collation (by bytes); LIKE without an escape character (PostgreSQL's
    /// default is a backslash), folding ASCII letters only (`lower` in the C collation).
    package static let postgres = SQLDialect(
        like: { expression, fold in
            fold ? "lower((\(expression)) COLLATE \"C\") LIKE lower((?) COLLATE \"C\") ESCAPE ''"
                 : "(\(expression)) COLLATE \"C\" LIKE ? ESCAPE ''"
        },
        bytewise: { "(\($0)) COLLATE \"C\"" },
        unlimited: "LIMIT ALL"
    )
}
