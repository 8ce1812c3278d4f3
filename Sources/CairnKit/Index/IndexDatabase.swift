import CairnCore
import CairnIndexPostgres

/// The PostgreSQL database a store's index lives in, when it is not the embedded SQLite file: from
/// `--database`, else `$CAIRN_DATABASE`, else `index: database:` in `cairn.yaml`.
public struct IndexDatabase: Sendable, Equatable {
    /// The database (no password).
    public var url: DatabaseURL
    /// The most connections this process opens.
    public var poolSize: Int
    /// The environment the password is looked up in (`PGPASSWORD`, `PGPASSFILE`, `HOME`).
    var environment: [String: String]

    /// The environment variable that names the database for every command.
    public static let environmentVariable = "CAIRN_DATABASE"
    /// Connections a process opens when neither `--database-pool` nor `index: pool:` says.
    public static let defaultPoolSize = 4

    /// A database from its URL.
    /// - Throws: `invalid-value` for a URL that is not a postgresql:// URL or holds a password.
    public init(_ text: String, poolSize: Int? = nil, environment: [String: String]) throws(CairnError) {
        url = try DatabaseURL(parsing: text, environment: environment)
        self.poolSize = poolSize ?? Self.defaultPoolSize
        self.environment = environment
    }

    /// The password for the URL (`PGPASSWORD`, else the password file), nil when none is configured.
    func password() throws(CairnError) -> String? {
        try PasswordFile.password(for: url, environment: environment)
    }
}
