import CairnCore
import CairnIndex
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The index in a PostgreSQL database, for several `cairn serve` processes and training hosts sharing
/// one store: the same tables and queries as the embedded ``SQLiteRunIndex``, the same answers.
///
/// The schema is created (or migrated) on first use, under an advisory lock so that servers starting
/// together wait for each other, and the database records the id of the store it indexes: a database
/// that indexes another store is refused. Values are always bound, never spliced into SQL.
public final class PostgresRunIndex: RunIndex {
    /// Where the database is (no password).
    public let url: DatabaseURL
    /// The store this database must index (its `store_id`); nil to accept any (tests, `reindex` checks).
    public let storeID: String?
    let connections: PostgresConnections
    let logger: Logger
    private let prepared = Mutex(false)
    private let preparation = Preparation()
    private let readOnly: Bool

    /// A connection to the database at `url`; nothing is sent until the first call.
    /// - Parameters:
    ///   - url: the server, database and schema.
    ///   - password: from ``PasswordFile/password(for:environment:)``; nil when the server asks for none.
    ///   - storeID: the id of the store this index belongs to (`store_id` in `cairn.yaml`).
    ///   - poolSize: the most connections open at once.
    ///   - readOnly: never create or migrate the schema (a store this process cannot write).
    public init(url: DatabaseURL, password: String?, storeID: String?, poolSize: Int = 4, readOnly: Bool = false) {
        self.url = url
        self.storeID = storeID
        self.readOnly = readOnly
        logger = Logger(label: "cairn.index.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let tls: PostgresConnection.Configuration.TLS
        switch url.tls {
        case .disable: tls = .disable
        case .prefer: tls = (try? .prefer(NIOSSLContext(configuration: .makeClientConfiguration()))) ?? .disable
        case .require: tls = (try? .require(NIOSSLContext(configuration: .makeClientConfiguration()))) ?? .disable
        }
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: password,
                                                            database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        var parameters = [("application_name", "cairn")]
        if let schema = url.schema { parameters.append(("search_path", schema)) }
        configuration.options.additionalStartupParameters = parameters
        connections = PostgresConnections(configuration: configuration, limit: poolSize, logger: logger)
    }

    // MARK: RunIndex

    public func stamps(in experiments: [ExperimentID]?) async throws(CairnError) -> [RunID: String] {
        try await using("read the index") { connection in
            var bindings = PostgresBindings()
            var sql = "SELECT id, stamp FROM runs"
            if let experiments {
                sql += " WHERE experiment_id = ANY($1)"
                bindings.append(experiments.map { Int64($0.value) })
            }
            var stamps: [RunID: String] = [:]
            for try await (id, stamp) in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: self.logger)
                .decode((String, String).self) {
                // A row whose id this cairn cannot read is no run it can answer for.
                if let run = try? RunID(id) { stamps[run] = IndexText.decode(stamp) }
            }
            return stamps
        }
    }

    public func update(runs: [IndexedRun], removing: [RunID], experiments: [ExperimentRecord]) async throws(CairnError) {
        guard !(runs.isEmpty && removing.isEmpty && experiments.isEmpty) else { return }
        try await transaction("update the index") { connection in
            try await PostgresWriter(connection: connection, logger: self.logger).update(runs: runs, removing: removing, experiments: experiments)
        }
    }

    public func search(_ query: RunQuery) async throws(CairnError) -> RunPage {
        try await using("search the index") { connection in
            var probe = query
            probe.limit = query.limit.map { $0 + 1 }
            let statement = SearchSQL(probe, dialect: .postgres)
            var ids: [String] = []
            for try await id in try await connection.query(PostgresStatement.query(statement.sql, statement.arguments), logger: self.logger)
                .decode(String.self) {
                ids.append(id)
            }
            var next: Int?
            if let limit = query.limit, ids.count > limit {
                ids.removeLast(ids.count - limit)
                next = query.offset + limit
            }
            return RunPage(runs: try await PostgresReader(connection: connection, logger: self.logger).runs(of: ids, parts: query.parts),
                           nextOffset: next)
        }
    }

    public func facts(of ids: [RunID]) async throws(CairnError) -> [RunFacts] {
        try await using("read the index") { connection in
            try await PostgresReader(connection: connection, logger: self.logger).runs(of: ids.map(\.value)).map(\.facts)
        }
    }

    public func experiments() async throws(CairnError) -> [ExperimentRecord] {
        try await using("read the index") { connection in
            try await PostgresReader(connection: connection, logger: self.logger).experiments()
        }
    }

    public func metadata(_ key: String) async throws(CairnError) -> String? {
        try await using("read the index") { connection in
            for try await value in try await connection.query("SELECT value FROM meta WHERE key = \(key)", logger: self.logger).decode(String.self) {
                return value
            }
            return nil
        }
    }

    public func setMetadata(_ key: String, _ value: String?) async throws(CairnError) {
        try await using("update the index") { connection in
            if let value {
                try await connection.query("""
                    INSERT INTO meta (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                    """, logger: self.logger)
            } else {
                try await connection.query("DELETE FROM meta WHERE key = \(key)", logger: self.logger)
            }
        }
    }

    public func optimize() async throws(CairnError) {
        try await using("optimize the index") { connection in
            try await connection.query("ANALYZE", logger: self.logger)
        }
    }

    public func removeAll() async throws(CairnError) {
        try await transaction("clear the index") { connection in
            for table in PostgresSchema.runTables + ["experiments", "meta"] {
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: self.logger)
            }
        }
    }

    /// Connects, and creates or migrates the schema and checks the store's id, now rather than at the
    /// first search (`cairn serve` at start: an unreachable database is one clear error).
    public func check() async throws(CairnError) {
        try await using("open the index") { _ in }
    }

    /// Closes the open connections (before the process ends).
    public func close() async {
        await connections.closeAll()
    }

    // MARK: Connections

    /// Runs `body` on a pooled connection, the schema prepared first; a connection lost on a reused
    /// connection (the server restarted since) is retried once on a new one.
    @discardableResult
    func using<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(CairnError) -> T {
        do {
            try await prepare()
            var attempt = 0
            while true {
                attempt += 1
                let (connection, reused) = try await connections.lease()
                do {
                    let result = try await body(connection)
                    await connections.release(connection, broken: false)
                    return result
                } catch {
                    let lost = PostgresFailure.isConnectionLost(error)
                    await connections.release(connection, broken: true)
                    if lost && reused && attempt == 1 { continue }
                    throw error
                }
            }
        } catch let error as CairnError {
            throw error
        } catch {
            throw PostgresFailure.error(error, url: url, doing: what)
        }
    }

    /// ``using(_:_:)`` inside a transaction.
    @discardableResult
    func transaction<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws(CairnError) -> T {
        try await using(what) { connection in
            try await connection.query("BEGIN", logger: self.logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: self.logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: self.logger)
                throw error
            }
        }
    }

    /// Creates or migrates the schema and checks the store's id, once per process (tried again after a failure).
    private func prepare() async throws {
        if prepared.withLock({ $0 }) { return }
        try await preparation.run { [self] in
            let (connection, _) = try await connections.lease()
            do {
                try await PostgresMigration(connection: connection, logger: logger, url: url, storeID: storeID, readOnly: readOnly).run()
                await connections.release(connection, broken: false)
            } catch {
                await connections.release(connection, broken: true)
                throw error
            }
        }
        prepared.withLock { $0 = true }
    }
}

/// Runs one piece of async work at a time and remembers its success.
private actor Preparation {
    private var done = false

    func run(_ work: @Sendable () async throws -> Void) async throws {
        guard !done else { return }
        try await work()
        done = true
    }
}
