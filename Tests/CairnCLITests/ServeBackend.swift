import CairnTestSupport
import Testing

/// The index a `cairn serve` under test uses: the embedded SQLite file, or PostgreSQL (a schema of its
/// own on the test cluster). Tests of the server's MLflow API run on each with the same expectations.
enum ServeBackend: String, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when scripts/test could start its cluster (else
    /// `CLIServePostgresTests` shows why it is skipped).
    static var all: [ServeBackend] { TestDatabase.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    /// The arguments that select it (`--database` with a fresh schema for PostgreSQL).
    func arguments() -> [String] {
        switch self {
        case .sqlite: []
        case .postgres: ["--database", TestDatabase.freshURL() ?? ""]
        }
    }

    var testDescription: String { rawValue }
}
