import CairnCore
import Logging
import PostgresNIO

/// Brings a database's schema up to date and checks that it indexes the expected store, in one
/// transaction under an advisory lock.
struct PostgresMigration {
    let connection: PostgresConnection
    let logger: Logger
    let url: DatabaseURL
    let storeID: String?
    let readOnly: Bool

    func run() async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await migrate()
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    private func migrate() async throws {
        if !readOnly {
            // Under the lock, so that processes starting together do not race to create the schema. The
            // lock is the schema's own: stores in other schemas of the database never wait for it.
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock), hashtext(\(url.schema ?? "public")))", logger: logger)
            if let schema = url.schema {
                // The name was checked to be a plain identifier (DatabaseURL.isIdentifier).
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            }
            try await connection.query(PostgresQuery(unsafeSQL: PostgresSchema.versionTable), logger: logger)
        }
        var version = 0
        for try await found in try await connection.query("SELECT coalesce(max(version), 0) FROM cairn_schema", logger: logger).decode(Int32.self) {
            version = Int(found)
        }
        if version > PostgresSchema.version {
            throw CairnError(.unsupportedFormat, "the index database \(url) was written by a newer cairn (schema \(version), this cairn knows \(PostgresSchema.version))",
                             hint: "upgrade cairn on this host")
        }
        if version < PostgresSchema.version {
            if readOnly {
                throw CairnError(.permissionDenied, "the index database \(url) is not up to date and this process may not write it",
                                 hint: "run a cairn command that writes the store (for example 'cairn reindex') once")
            }
            for (number, statements) in PostgresSchema.migrations.enumerated() where number + 1 > version {
                for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO cairn_schema (version) VALUES (\(Int32(number + 1)))", logger: logger)
            }
        }
        try await checkStore()
    }

    /// Records the store's id in a new database; refuses a database that records another.
    private func checkStore() async throws {
        var recorded: String?
        for try await id in try await connection.query("SELECT store_id FROM cairn_store LIMIT 1", logger: logger).decode(String.self) {
            recorded = id
        }
        guard let storeID else { return }
        if let recorded {
            guard recorded == storeID else {
                throw CairnError(.conflict, "the index database \(url) belongs to another store (store_id \(recorded), this store's is \(storeID))",
                                 hint: "point index.database (or --database, CAIRN_DATABASE) at this store's own database, or give it a schema of its own with ?schema=NAME")
            }
        } else if !readOnly {
            try await connection.query("INSERT INTO cairn_store (store_id) VALUES (\(storeID))", logger: logger)
        }
    }
}
