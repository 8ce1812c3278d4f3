/// The index's tables in PostgreSQL: the SQLite index's tables and columns (the queries are shared), with
/// PostgreSQL's types (`BIGINT` for times and counts, `DOUBLE PRECISION` for values) and texts in the C
/// collation (compared and ordered by bytes, as SQLite does, with indexes that serve those comparisons),
/// plus the version of the schema and the id of the store the database belongs to.
enum PostgresSchema {
    /// The version this cairn writes; a database of a later one is refused.
    static let version = 1

    /// The first key of `pg_advisory_xact_lock(key, hashtext(schema))` while the schema is created or
    /// migrated: servers that start together wait for each other instead of creating the tables twice.
    static let migrationLock: Int32 = 0x6361_6972

    /// Every table of a run's facts, children first.
    static let runTables = ["checkpoint_metrics", "metrics", "tags", "params", "runs"]

    /// Creates the version table (before anything else is read).
    static let versionTable = "CREATE TABLE IF NOT EXISTS cairn_schema (version INTEGER NOT NULL)"

    /// The statements of each version, by version number (index 0 is version 1).
    static let migrations: [[String]] = [[
        "CREATE TABLE cairn_store (store_id TEXT COLLATE \"C\" NOT NULL)",
        "CREATE TABLE meta (key TEXT COLLATE \"C\" PRIMARY KEY NOT NULL, value TEXT COLLATE \"C\" NOT NULL)",
        "CREATE TABLE experiments (id BIGINT PRIMARY KEY NOT NULL, name TEXT COLLATE \"C\" NOT NULL, record TEXT COLLATE \"C\" NOT NULL)",
        """
        CREATE TABLE runs (id TEXT COLLATE \"C\" PRIMARY KEY NOT NULL, experiment_id BIGINT NOT NULL, experiment TEXT COLLATE \"C\" NOT NULL,
            name TEXT COLLATE \"C\", status TEXT COLLATE \"C\" NOT NULL, start_time BIGINT NOT NULL, end_time BIGINT, user_name TEXT COLLATE \"C\" NOT NULL,
            folder TEXT COLLATE \"C\" NOT NULL, record TEXT COLLATE \"C\" NOT NULL, kept_checkpoints BIGINT NOT NULL,
            best_seq BIGINT, best_path TEXT COLLATE \"C\", best_step BIGINT, best_epoch BIGINT,
            last_seq BIGINT, last_path TEXT COLLATE \"C\", last_step BIGINT, last_epoch BIGINT, stamp TEXT COLLATE \"C\" NOT NULL, deleted_at BIGINT)
        """,
        "CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time)",
        "CREATE INDEX runs_by_start ON runs (start_time)",
        "CREATE TABLE params (run_id TEXT COLLATE \"C\" NOT NULL, key TEXT COLLATE \"C\" NOT NULL, value TEXT COLLATE \"C\" NOT NULL, number DOUBLE PRECISION, PRIMARY KEY (run_id, key))",
        "CREATE INDEX params_by_number ON params (key, number)",
        "CREATE TABLE tags (run_id TEXT COLLATE \"C\" NOT NULL, key TEXT COLLATE \"C\" NOT NULL, value TEXT COLLATE \"C\" NOT NULL, PRIMARY KEY (run_id, key))",
        "CREATE INDEX tags_by_value ON tags (key, value)",
        """
        CREATE TABLE metrics (run_id TEXT COLLATE \"C\" NOT NULL, name TEXT COLLATE \"C\" NOT NULL, split TEXT COLLATE \"C\" NOT NULL, key TEXT COLLATE \"C\" NOT NULL,
            value DOUBLE PRECISION, step BIGINT NOT NULL, last_value DOUBLE PRECISION, last_step BIGINT NOT NULL,
            min DOUBLE PRECISION, min_step BIGINT, max DOUBLE PRECISION, max_step BIGINT, count BIGINT NOT NULL,
            PRIMARY KEY (run_id, name))
        """,
        "CREATE INDEX metrics_by_value ON metrics (name, value)",
        """
        CREATE TABLE checkpoint_metrics (run_id TEXT COLLATE \"C\" NOT NULL, pointer TEXT COLLATE \"C\" NOT NULL, key TEXT COLLATE \"C\" NOT NULL, value DOUBLE PRECISION,
            PRIMARY KEY (run_id, pointer, key))
        """,
    ]]
}
