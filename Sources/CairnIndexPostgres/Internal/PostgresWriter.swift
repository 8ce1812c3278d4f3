import CairnCore
import CairnIndex
import Foundation
import Logging
import PostgresNIO

/// Writes runs and experiments into the index's tables, inside the caller's transaction.
///
/// Concurrent writers (several servers, training hosts) lock the runs they replace, by id and in one
/// order, so two updates of one run follow each other; the later read of a run's files wins, whatever
/// the order of the commits (``StampOrder``). Rows go in as multi-row `INSERT`s, every table's in one
/// statement (and the old rows out in one), so that an update costs few round trips.
struct PostgresWriter {
    let connection: PostgresConnection
    let logger: Logger

    /// PostgreSQL's limit of bound values in one statement.
    static let mostBindings = 65_535

    func update(runs: [IndexedRun], removing: [RunID], experiments: [ExperimentRecord]) async throws {
        let ids = Set(runs.map(\.facts.record.id.value) + removing.map(\.value)).sorted()
        if !ids.isEmpty {
            // Keyed by the schema too: stores in other schemas of the database never wait for these.
            try await run("SELECT pg_advisory_xact_lock(hashtextextended('cairn.run:' || current_schema() || ':' || x, 0)) FROM unnest(?::text[]) AS x ORDER BY x",
                          [], arrays: [ids])
        }
        var existing: [String: String] = [:]
        if !runs.isEmpty {
            let rows = try await connection.query(query("SELECT id, stamp FROM runs WHERE id = ANY(?)", [], arrays: [runs.map(\.facts.record.id.value)]),
                                                  logger: logger)
            for try await (id, stamp) in rows.decode((String, String).self) { existing[id] = IndexText.decode(stamp) }
        }
        // Another process may have committed a later read of a run meanwhile: keep it.
        let kept = runs.filter { run in
            existing[run.facts.record.id.value].map { !StampOrder.isOlder(run.stamp, than: $0) } ?? true
        }
        let replaced = Array(Set(kept.map(\.facts.record.id.value) + removing.map(\.value)))
        if !replaced.isEmpty {
            // One statement for every table (data-modifying CTEs): a round trip, not one per table.
            let deletes = PostgresSchema.runTables.map { "DELETE FROM \($0) WHERE \($0 == "runs" ? "id" : "run_id") = ANY($1)" }
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(replaced)
            try await connection.query(PostgresQuery(unsafeSQL: Self.oneStatement(deletes), binds: bindings), logger: logger)
        }
        try await insert(kept)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for experiment in experiments.sorted(by: { $0.id.value < $1.id.value }) {
            try await run("""
                INSERT INTO experiments (id, name, record) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, record = EXCLUDED.record
                """, [.integer(Int64(experiment.id.value)), .text(experiment.name.description),
                      .text(String(decoding: try encoder.encode(experiment), as: UTF8.self))])
        }
    }

    private func insert(_ runs: [IndexedRun]) async throws {
        guard !runs.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var runRows: [[Value]] = [], params: [[Value]] = [], tags: [[Value]] = [], metrics: [[Value]] = [], checkpoints: [[Value]] = []
        for run in runs {
            let facts = run.facts
            let record = facts.record
            let id = Value.text(record.id.value)
            var row: [Value] = [
                id, .integer(Int64(record.experimentID.value)), .text(record.experiment), .optionalText(record.name),
                .text(record.status.rawValue), .integer(record.startTime.millisecondsSinceEpoch),
                .optionalInteger(record.endTime?.millisecondsSinceEpoch), .text(record.user), .text(facts.folder),
                .text(String(decoding: try encoder.encode(record), as: UTF8.self)), .integer(Int64(facts.keptCheckpoints)),
            ]
            for checkpoint in [facts.bestCheckpoint, facts.lastCheckpoint] {
                row += [.optionalInteger(checkpoint.map { Int64($0.seq) }), .optionalText(checkpoint?.path),
                        .optionalInteger(checkpoint?.step.map(Int64.init)), .optionalInteger(checkpoint?.epoch.map(Int64.init))]
            }
            row += [.text(run.stamp), .optionalInteger(facts.deletedAt?.millisecondsSinceEpoch)]
            runRows.append(row)
            for (key, value) in facts.params { params.append([id, .text(key), .text(value), .real(RunFacts.number(value))]) }
            for (key, value) in facts.tags { tags.append([id, .text(key), .text(value)]) }
            for (name, m) in facts.metrics {
                let split = name == m.key ? MetricName.defaultSplit : String(name.dropLast(m.key.count + 1))
                var metric: [Value] = [id, .text(name), .text(split), .text(m.key)]
                metric += [.real(m.valueAtHighestStep), .integer(m.highestStep), .real(m.last), .integer(m.lastStep)]
                metric += [.real(m.min), .optionalInteger(m.minStep), .real(m.max), .optionalInteger(m.maxStep)]
                metric.append(.integer(Int64(m.count)))
                metrics.append(metric)
            }
            for (pointer, checkpoint) in [("best", facts.bestCheckpoint), ("last", facts.lastCheckpoint)] {
                for (key, value) in checkpoint?.metrics ?? [:] { checkpoints.append([id, .text(pointer), .text(key), .real(value)]) }
            }
        }
        try await insertRows([
            RowSet(table: "runs", columns: """
                id, experiment_id, experiment, name, status, start_time, end_time, user_name, folder,
                record, kept_checkpoints, best_seq, best_path, best_step, best_epoch,
                last_seq, last_path, last_step, last_epoch, stamp, deleted_at
                """, rows: runRows),
            RowSet(table: "params", columns: "run_id, key, value, number", rows: params),
            RowSet(table: "tags", columns: "run_id, key, value", rows: tags),
            RowSet(table: "metrics", columns: "run_id, name, split, key, value, step, last_value, last_step, min, min_step, max, max_step, count",
                   rows: metrics),
            RowSet(table: "checkpoint_metrics", columns: "run_id, pointer, key, value", rows: checkpoints),
        ])
    }

    /// Rows for one table.
    struct RowSet {
        let table: String
        let columns: String
        let rows: [[Value]]
    }

    /// The rows as multi-row `INSERT`s, several tables' in one statement (data-modifying CTEs) as far
    /// as the binding limit allows: an update of a run is one round trip, not one per table.
    private func insertRows(_ sets: [RowSet]) async throws {
        var pieces: [(table: String, columns: String, rows: ArraySlice<[Value]>)] = []
        for set in sets {
            guard let width = set.rows.first?.count else { continue }
            let perStatement = Self.mostBindings / width
            var start = 0
            while start < set.rows.count {
                let end = min(set.rows.count, start + perStatement)
                pieces.append((set.table, set.columns, set.rows[start..<end]))
                start = end
            }
        }
        var statement: [(table: String, columns: String, rows: ArraySlice<[Value]>)] = []
        var bound = 0
        for piece in pieces {
            let count = piece.rows.count * piece.rows.first!.count
            if bound + count > Self.mostBindings {
                try await insert(statement)
                statement = []
                bound = 0
            }
            statement.append(piece)
            bound += count
        }
        if !statement.isEmpty { try await insert(statement) }
    }

    /// One statement: `WITH i0 AS (INSERT …), i1 AS (INSERT …) INSERT …`.
    private func insert(_ pieces: [(table: String, columns: String, rows: ArraySlice<[Value]>)]) async throws {
        var inserts: [String] = []
        var bindings = PostgresBindings(capacity: pieces.reduce(0) { $0 + $1.rows.count * $1.rows.first!.count })
        var number = 0
        for piece in pieces {
            var sql = "INSERT INTO \(piece.table) (\(piece.columns)) VALUES "
            for (r, row) in piece.rows.enumerated() {
                sql += r == 0 ? "(" : ", ("
                for (c, value) in row.enumerated() {
                    number += 1
                    sql += c == 0 ? "$\(number)" : ", $\(number)"
                    value.bind(into: &bindings)
                }
                sql += ")"
            }
            inserts.append(sql)
        }
        try await connection.query(PostgresQuery(unsafeSQL: Self.oneStatement(inserts), binds: bindings), logger: logger)
    }

    /// Data-modifying statements on different rows as one (`WITH s0 AS (…), s1 AS (…) LAST`): one
    /// round trip.
    static func oneStatement(_ statements: [String]) -> String {
        guard let last = statements.last else { return "" }
        let earlier = statements.dropLast().enumerated().map { "s\($0.offset) AS (\($0.element))" }
        return earlier.isEmpty ? last : "WITH \(earlier.joined(separator: ", ")) \(last)"
    }

    private func query(_ sql: String, _ arguments: [SQLArgument], arrays: [[String]] = []) -> PostgresQuery {
        // Text arrays go last, after the scalar arguments, in the order of their `?`s.
        var statement = PostgresStatement.query(sql, arguments)
        for array in arrays { statement.binds.append(array) }
        return statement
    }

    private func run(_ sql: String, _ arguments: [SQLArgument], arrays: [[String]] = []) async throws {
        try await connection.query(query(sql, arguments, arrays: arrays), logger: logger)
    }

    /// A value of a row to insert.
    enum Value {
        case text(String)
        case optionalText(String?)
        case integer(Int64)
        case optionalInteger(Int64?)
        /// NaN and nil as NULL: SQL has no NaN that compares as Cairn's filters want.
        case real(Double?)

        func bind(into bindings: inout PostgresBindings) {
            switch self {
            case .text(let text): bindings.append(IndexText.encode(text))
            case .optionalText(let text): if let text { bindings.append(IndexText.encode(text)) } else { bindings.appendNull() }
            case .integer(let number): bindings.append(number)
            case .optionalInteger(let number): if let number { bindings.append(number) } else { bindings.appendNull() }
            case .real(let number): if let number, !number.isNaN { bindings.append(number) } else { bindings.appendNull() }
            }
        }
    }
}
