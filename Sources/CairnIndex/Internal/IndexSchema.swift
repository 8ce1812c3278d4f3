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
        migrator.registerMigration("v2") { db in
            for statement in version2 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v3") { db in
            for statement in version3 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v4") { db in
            for statement in version4 { try db.execute(sql: statement) }
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

    /// The tables of a run's params, tags, metrics and checkpoint metrics become `WITHOUT ROWID`: each row
    /// is stored in its primary key's b-tree, so a search's joins and a page's rows are read from one
    /// b-tree instead of an index and then the table (the SQL of a search at 1,000 runs: 1.4 ms to
    /// 0.35 ms), and the secondary indexes carry the run's id. Rows are kept. This is the SQLite
    /// backend's storage; the queries do not depend on it, and a PostgreSQL backend declares the same
    /// tables without it (its primary keys serve index-only scans). `runs` keeps its rowid (its rows are
    /// large) and gets a covering index for the joins of searches.
    static let version2: [String] = {
        let tables = [
            ("params", "run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, number REAL, PRIMARY KEY (run_id, key)",
             "run_id, key, value, number"),
            ("tags", "run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key)", "run_id, key, value"),
            ("metrics", """
                run_id TEXT NOT NULL, name TEXT NOT NULL, split TEXT NOT NULL, key TEXT NOT NULL,
                value REAL, step INTEGER NOT NULL, last_value REAL, last_step INTEGER NOT NULL,
                min REAL, min_step INTEGER, max REAL, max_step INTEGER, count INTEGER NOT NULL, PRIMARY KEY (run_id, name)
                """, "run_id, name, split, key, value, step, last_value, last_step, min, min_step, max, max_step, count"),
            ("checkpoint_metrics", "run_id TEXT NOT NULL, pointer TEXT NOT NULL, key TEXT NOT NULL, value REAL, PRIMARY KEY (run_id, pointer, key)",
             "run_id, pointer, key, value"),
        ]
        var statements = ["DROP INDEX metrics_by_value", "DROP INDEX params_by_number", "DROP INDEX tags_by_value"]
        for (table, columns, names) in tables {
            statements += [
                "CREATE TABLE \(table)_v2 (\(columns)) WITHOUT ROWID",
                "INSERT INTO \(table)_v2 (\(names)) SELECT \(names) FROM \(table)",
                "DROP TABLE \(table)",
                "ALTER TABLE \(table)_v2 RENAME TO \(table)",
            ]
        }
        return statements + [
            "CREATE INDEX params_by_number ON params (key, number)",
            "CREATE INDEX tags_by_value ON tags (key, value)",
            "CREATE INDEX metrics_by_value ON metrics (name, value)",
            "CREATE INDEX runs_by_id ON runs (id, start_time, experiment_id)",
        ]
    }()

    /// Soft deletion: a run's deletion time (milliseconds; NULL while active). Rows indexed before it
    /// are active: nothing could delete a run then. The covering index of searches' joins gains the column
    /// (every search asks for it).
    static let version3 = [
        "ALTER TABLE runs ADD COLUMN deleted_at INTEGER",
        "DROP INDEX runs_by_id",
        "CREATE INDEX runs_by_id ON runs (id, start_time, experiment_id, deleted_at)",
    ]

    /// Texts are kept as ``IndexText`` writes them (bytes 0 and 1 escaped): before, a text holding a 0
    /// was cut there. The rows are cleared, and the next update reads every run from its files again
    /// (the watch in `meta` is gone with them).
    static let version4 = tables.map { "DELETE FROM \($0)" }

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
        do {
            try migrator.migrate(database)
        } catch {
            // Another process created or migrated the index at the same moment: fine if it is now current.
            guard try database.read({ db in try migrator.hasCompletedMigrations(db) }) else { throw error }
        }
    }
}
