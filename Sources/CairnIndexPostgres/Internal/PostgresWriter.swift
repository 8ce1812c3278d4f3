import CairnCore
import CairnIndex
import Foundation
import Logging
import PostgresNIO

/// Writes runs and experiments into the index's tables, inside the caller's transaction.
///
/// Concurrent writers (several servers, training hosts) lock the runs they replace, by id and in one
/// order, so two updates of one run follow each other; the later read of a run's files wins, whatever
/// the order of the commits (``StampOrder``). Rows go in as multi-row `INSERT`s.
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
            for table in PostgresSchema.runTables {
                try await run("DELETE FROM \(table) WHERE \(table == "runs" ? "id" : "run_id") = ANY(?)", [], arrays: [replaced])
            }
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
        try await insertRows("runs", """
            id, experiment_id, experiment, name, status, start_time, end_time, user_name, folder,
            record, kept_checkpoints, best_seq, best_path, best_step, best_epoch,
            last_seq, last_path, last_step, last_epoch, stamp, deleted_at
            """, runRows)
        try await insertRows("params", "run_id, key, value, number", params)
        try await insertRows("tags", "run_id, key, value", tags)
        try await insertRows("metrics", "run_id, name, split, key, value, step, last_value, last_step, min, min_step, max, max_step, count", metrics)
        try await insertRows("checkpoint_metrics", "run_id, pointer, key, value", checkpoints)
    }

    /// `INSERT INTO table (columns) VALUES (…), (…)`, as few statements as the binding limit allows.
    private func insertRows(_ table: String, _ columns: String, _ rows: [[Value]]) async throws {
        guard let width = rows.first?.count else { return }
        let perStatement = Self.mostBindings / width
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            start += chunk.count
            var sql = "INSERT INTO \(table) (\(columns)) VALUES "
            var bindings = PostgresBindings(capacity: chunk.count * width)
            var number = 0
            for (r, row) in chunk.enumerated() {
                sql += r == 0 ? "(" : ", ("
                for (c, value) in row.enumerated() {
                    number += 1
                    sql += c == 0 ? "$\(number)" : ", $\(number)"
                    value.bind(into: &bindings)
                }
                sql += ")"
            }
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        }
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
