import CairnCore
import Foundation
import GRDB

/// The embedded index: one SQLite file (`<store>/.cairn/index.sqlite`) through GRDB.
///
/// WAL mode with `synchronous = NORMAL` where the file system allows it (a committed update survives a
/// killed process; a power loss may lose the last ones, which the files still hold), a rollback journal
/// where it does not (``JournalMode/rollback``). Writers wait up to ``busyTimeout`` for each other,
/// and every update is one short transaction.
public final class SQLiteRunIndex: RunIndex {
    /// How the database journals its writes.
    public enum JournalMode: Sendable {
        /// Write-ahead log: readers never wait for the writer. Needs shared memory between processes,
        /// which network and FUSE file systems do not give.
        case wal
        /// A rollback journal: safe on any file system that locks.
        case rollback
    }

    /// How long a writer waits for another before it fails with `busy`.
    public static let busyTimeout: TimeInterval = 30

    /// The database file.
    public let path: String
    let database: DatabaseQueue
    /// How much of the file reads may map.
    static let mappedBytes = 1 << 30

    /// Opens (creating, or bringing an older schema up to date) the index at `path`.
    /// - Parameters:
    ///   - path: the database file.
    ///   - journal: how to journal (``JournalMode/wal`` unless the file system cannot).
    ///   - readOnly: open without writing (a read-only store); the schema must be current.
    /// - Throws: `corrupt` when the file is not a database or is damaged; `unsupported-format` when a
    ///   newer cairn wrote it; `io`, `permission-denied`, `busy` otherwise.
    public init(path: String, journal: JournalMode = .wal, readOnly: Bool = false) throws(CairnError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.readonly = readOnly
        configuration.foreignKeysEnabled = false
        configuration.label = "cairn-index"
        configuration.prepareDatabase { db in
            db.add(function: Self.likeFunction())
            if !readOnly, journal == .wal {
                // Set here rather than by GRDB's `journalMode = .wal`, whose set-up also makes sure of a
                // non-empty WAL file through Foundation's URL resource values (for its DatabasePool's
                // snapshots, which a DatabaseQueue never takes): a millisecond of every process's start.
                guard let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL"), mode.lowercased() == "wal" else {
                    throw DatabaseError(message: "could not switch '\(path)' to write-ahead logging")
                }
            }
            if !readOnly {
                try db.execute(sql: journal == .wal ? "PRAGMA synchronous = NORMAL" : "PRAGMA journal_mode = DELETE")
            }
            if !readOnly, journal == .wal {
                // Reads map the file instead of copying each page with pread (a search's pages are in
                // the page cache): local file systems only, where WAL is used.
                try db.execute(sql: "PRAGMA mmap_size = \(Self.mappedBytes)")
            }
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try IndexSchema.prepare(database, path: path, readOnly: readOnly)
        } catch let error as CairnError {
            throw error
        } catch {
            throw Self.failure(error, path: path, doing: "open the index")
        }
    }

    /// `cairn_like(text, pattern, fold)`: LIKE as ``LikePattern`` reads it.
    private static func likeFunction() -> DatabaseFunction {
        DatabaseFunction("cairn_like", argumentCount: 3, pure: true) { values in
            guard let text = String.fromDatabaseValue(values[0]), let pattern = String.fromDatabaseValue(values[1]) else {
                return nil
            }
            let fold = Int.fromDatabaseValue(values[2]) == 1
            return LikePattern(pattern, foldingCase: fold).matches(text)
        }
    }

    /// A CairnError for a database failure: its kind by SQLite's result code, the path, what to do.
    static func failure(_ error: any Error, path: String, doing what: String) -> CairnError {
        guard let error = error as? DatabaseError else {
            return CairnError(.io, "could not \(what) '\(path)'", cause: "\(error)")
        }
        let rebuild = "the index is a cache: delete it, or run 'cairn reindex', and it is rebuilt from the store's files"
        if error.extendedResultCode == .SQLITE_IOERR_SHORT_READ {  // A truncated file.
            return CairnError(.corrupt, "the index '\(path)' is damaged (shorter than it says)", hint: rebuild, cause: error.message)
        }
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return CairnError(.corrupt, "the index '\(path)' is damaged", hint: rebuild, cause: error.message)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return CairnError(.busy, "could not \(what) '\(path)': another process held it for \(Int(busyTimeout)) s",
                              hint: "try again when the other cairn process is done", cause: error.message)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return CairnError(.permissionDenied, "could not \(what) '\(path)'", hint: "check the permissions of the store's .cairn folder", cause: error.message)
        case .SQLITE_FULL:
            return CairnError(.io, "could not \(what) '\(path)': the disk is full", hint: "free some space; the index is rebuilt from the files when needed", cause: error.message)
        default:
            return CairnError(.io, "could not \(what) '\(path)'", cause: error.message ?? "\(error)")
        }
    }

    // MARK: RunIndex

    public func stamps(in experiments: [ExperimentID]?) async throws(CairnError) -> [RunID: String] {
        try await reading("read the index") { db in
            var stamps: [RunID: String] = [:]
            var sql = "SELECT id, stamp FROM runs"
            if let experiments {
                sql += " WHERE experiment_id IN (" + (experiments.isEmpty ? "NULL" : SearchSQL.placeholders(experiments.count)) + ")"
            }
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments((experiments ?? []).map(\.value)))
            while let row = try rows.next() {
                // A row whose id this cairn cannot read is no run it can answer for.
                if let id = try? RunID(row[0] as String) { stamps[id] = IndexText.decode(row[1]) }
            }
            return stamps
        }
    }

    public func update(runs: [IndexedRun], removing: [RunID], experiments: [ExperimentRecord]) async throws(CairnError) {
        guard !(runs.isEmpty && removing.isEmpty && experiments.isEmpty) else { return }
        try await writing("update the index") { db in
            try IndexWriter(db).update(runs: runs, removing: removing, experiments: experiments)
        }
    }

    public func search(_ query: RunQuery) async throws(CairnError) -> RunPage {
        try await reading("search the index") { db in
            var probe = query
            probe.limit = query.limit.map { $0 + 1 }
            let statement = SearchSQL(probe, dialect: .sqlite)
            var ids = try String.fetchAll(db, sql: statement.sql, arguments: Self.arguments(statement.arguments))
            var next: Int?
            if let limit = query.limit, ids.count > limit {
                ids.removeLast(ids.count - limit)
                next = query.offset + limit
            }
            return RunPage(runs: try IndexReader(db).runs(of: ids, parts: query.parts), nextOffset: next)
        }
    }

    public func facts(of ids: [RunID]) async throws(CairnError) -> [RunFacts] {
        try await reading("read the index") { db in try IndexReader(db).runs(of: ids.map(\.value)).map(\.facts) }
    }

    public func experiments() async throws(CairnError) -> [ExperimentRecord] {
        try await reading("read the index") { db in try IndexReader(db).experiments() }
    }

    public func metadata(_ key: String) async throws(CairnError) -> String? {
        try await reading("read the index") { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
        }
    }

    public func setMetadata(_ key: String, _ value: String?) async throws(CairnError) {
        try await writing("update the index") { db in
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
            if let value { try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)", arguments: [key, value]) }
        }
    }

    public func optimize() async throws(CairnError) {
        try await writing("optimize the index") { db in
            try db.execute(sql: "ANALYZE")
        }
        do {
            try await database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch {
            throw Self.failure(error, path: path, doing: "fold the index's journal")
        }
    }

    public func removeAll() async throws(CairnError) {
        try await writing("clear the index") { db in
            for table in IndexSchema.tables { try db.execute(sql: "DELETE FROM \(table)") }
        }
    }

    // MARK: Helpers

    static func arguments(_ values: [SQLArgument]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .text(let text): IndexText.encode(text)
            case .real(let number): number
            case .integer(let number): number
            }
        })
    }

    private func reading<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CairnError) -> T {
        do {
            return try await database.read(body)
        } catch let error as CairnError {
            throw error
        } catch {
            throw Self.failure(error, path: path, doing: what)
        }
    }

    private func writing<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(CairnError) -> T {
        do {
            return try await database.write(body)
        } catch let error as CairnError {
            throw error
        } catch {
            throw Self.failure(error, path: path, doing: what)
        }
    }
}
