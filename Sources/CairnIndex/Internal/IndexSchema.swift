import CairnCore
import GRDB

/// The index's tables, created and migrated by GRDB's migrator. The SQL is portable (no SQLite-only
/// types or clauses), so that a server database can hold the same tables.
enum IndexSchema {
    /// Every table, children first.
    static let tables = ["checkpoint_metrics", "metrics", "tags", "params", "runs", "experiments", "meta"]

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in version1 { try db.execute(sql: statement) }
        }
        return migrator
    }()

    static let version1 = [
        "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        "CREATE TABLE experiments (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, record TEXT NOT NULL)",
        """
        CREATE TABLE runs (id TEXT PRIMARY KEY NOT NULL, experiment_id INTEGER NOT NULL, experiment TEXT NOT NULL,
            name TEXT, status TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER, user_name TEXT NOT NULL,
            folder TEXT NOT NULL, record TEXT NOT NULL, kept_checkpoints INTEGER NOT NULL,
            best_seq INTEGER, best_path TEXT, best_step INTEGER, best_epoch INTEGER,
            last_seq INTEGER, last_path TEXT, last_step INTEGER, last_epoch INTEGER, stamp TEXT NOT NULL)
        """,
        "CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time)",
        "CREATE INDEX runs_by_start ON runs (start_time)",
        "CREATE TABLE params (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, number REAL, PRIMARY KEY (run_id, key))",
        "CREATE INDEX params_by_number ON params (key, number)",
        "CREATE TABLE tags (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key))",
        "CREATE INDEX tags_by_value ON tags (key, value)",
        """
        CREATE TABLE metrics (run_id TEXT NOT NULL, name TEXT NOT NULL, split TEXT NOT NULL, key TEXT NOT NULL,
            value REAL, step INTEGER NOT NULL, last_value REAL, last_step INTEGER NOT NULL,
            min REAL, min_step INTEGER, max REAL, max_step INTEGER, count INTEGER NOT NULL,
            PRIMARY KEY (run_id, name))
        """,
        "CREATE INDEX metrics_by_value ON metrics (name, value)",
        """
        CREATE TABLE checkpoint_metrics (run_id TEXT NOT NULL, pointer TEXT NOT NULL, key TEXT NOT NULL, value REAL,
            PRIMARY KEY (run_id, pointer, key))
        """,
    ]

    /// Brings the schema up to date, or refuses a newer one.
    static func prepare(_ database: DatabaseQueue, path: String, readOnly: Bool) throws {
        let (superseded, complete) = try database.read { db in
            (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
        }
        if superseded {
            throw CairnError(.unsupportedFormat, "the index '\(path)' was written by a newer cairn",
                             hint: "upgrade cairn, or delete the file: it is a cache, and this cairn rebuilds it from the store's files")
        }
        guard !complete else { return }
        if readOnly {
            throw CairnError(.permissionDenied, "the index '\(path)' is not up to date and cannot be written",
                             hint: "searches read the store's files instead")
        }
        try migrator.migrate(database)
    }
}
