import CairnCore
import CairnIndex
import Foundation
import Logging
import PostgresNIO

/// Reads runs and experiments back out of the index's tables.
struct PostgresReader {
    let connection: PostgresConnection
    let logger: Logger

    /// The runs with these ids that the index holds, in the order given: one query, each run's params,
    /// tags, metrics and checkpoint metrics gathered into arrays beside its row (a round trip per table
    /// made a search under load wait for PostgreSQL five times more often).
    func runs(of ids: [String], parts: RunQuery.Parts = .all) async throws -> [IndexedRun] {
        var unique: [String] = []
        var seen: Set<String> = []
        for id in ids where seen.insert(id).inserted { unique.append(id) }
        guard !unique.isEmpty else { return [] }
        var facts: [String: RunFacts] = [:]
        var stamps: [String: String] = [:]
        let decoder = JSONDecoder()
        for try await row in try await rows(Self.sql(parts), unique) {
            let cells = row.makeRandomAccess()
            let id = try cells[0].decode(String.self)
            let json = try cells[1].decode(String.self)
            let record = try RunRecord(recordJSON: json) ?? decoder.decode(RunRecord.self, from: Data(json.utf8))
            var run = RunFacts(record: record, folder: IndexText.decode(try cells[2].decode(String.self)),
                               bestCheckpoint: try Self.checkpoint(cells, at: 4), lastCheckpoint: try Self.checkpoint(cells, at: 8),
                               keptCheckpoints: Int(try cells[3].decode(Int64.self)))
            run.deletedAt = try cells[13].decode(Int64?.self).map { Timestamp(millisecondsSinceEpoch: $0) }
            stamps[id] = IndexText.decode(try cells[12].decode(String.self))
            let texts = { (column: Int) throws -> [String] in try (cells[column].decode([String]?.self) ?? []).map(IndexText.decode) }
            let numbers = { (column: Int) throws -> [Double] in try cells[column].decode([Double]?.self) ?? [] }
            let integers = { (column: Int) throws -> [Int64] in try cells[column].decode([Int64]?.self) ?? [] }
            if parts.contains(.params) {
                for (key, value) in zip(try texts(14), try texts(15)) { run.params[key] = value }
            }
            if parts.contains(.tags) {
                for (key, value) in zip(try texts(16), try texts(17)) { run.tags[key] = value }
            }
            if parts.contains(.metrics) {
                let names = try texts(18), keys = try texts(19), counts = try integers(20), lasts = try numbers(21)
                let lastSteps = try integers(22), mins = try numbers(23), minSteps = try integers(24), maxes = try numbers(25)
                let maxSteps = try integers(26), steps = try integers(27), values = try numbers(28)
                for i in names.indices {
                    // NULL went out as NaN (arrays of numbers here have no NULLs): a NaN extreme is none at all.
                    let min = mins[i].isNaN ? nil : mins[i], max = maxes[i].isNaN ? nil : maxes[i]
                    run.metrics[names[i]] = MetricSummary(
                        key: keys[i], count: Int(counts[i]), last: lasts[i], lastStep: lastSteps[i],
                        min: min, minStep: min == nil ? nil : minSteps[i], max: max, maxStep: max == nil ? nil : maxSteps[i],
                        highestStep: steps[i], valueAtHighestStep: values[i])
                }
            }
            if parts.contains(.checkpoints) {
                for (pointer, (key, value)) in zip(try texts(29), zip(try texts(30), try numbers(31))) {
                    if pointer == "best" {
                        run.bestCheckpoint?.metrics[key] = value
                    } else {
                        run.lastCheckpoint?.metrics[key] = value
                    }
                }
            }
            facts[id] = run
        }
        return ids.compactMap { id in facts[id].map { IndexedRun(facts: $0, stamp: stamps[id] ?? "") } }
    }

    /// The query of ``runs(of:parts:)``: the parts not asked for are NULL arrays (their columns stay in place).
    static func sql(_ parts: RunQuery.Parts) -> String {
        let texts = "NULL::text[]", numbers = "NULL::float8[]", integers = "NULL::int8[]"
        func part(_ part: RunQuery.Parts, _ columns: String, _ nulls: [String], _ from: String) -> (columns: String, join: String) {
            guard parts.contains(part) else { return (nulls.joined(separator: ", "), "") }
            return (columns, " LEFT JOIN LATERAL (\(from)) \(columns.prefix(1)) ON true")
        }
        let params = part(.params, "p.keys, p.vals", [texts, texts],
                          "SELECT array_agg(key) AS keys, array_agg(value) AS vals FROM params WHERE run_id = r.id")
        let tags = part(.tags, "t.keys, t.vals", [texts, texts],
                        "SELECT array_agg(key) AS keys, array_agg(value) AS vals FROM tags WHERE run_id = r.id")
        let metrics = part(.metrics, "m.names, m.keys, m.counts, m.lasts, m.last_steps, m.mins, m.min_steps, m.maxes, m.max_steps, m.steps, m.vals",
                           [texts, texts, integers, numbers, integers, numbers, integers, numbers, integers, integers, numbers], """
                           SELECT array_agg(name) AS names, array_agg(key) AS keys, array_agg(count) AS counts,
                               array_agg(coalesce(last_value, 'NaN')) AS lasts, array_agg(last_step) AS last_steps,
                               array_agg(coalesce(min, 'NaN')) AS mins, array_agg(coalesce(min_step, 0)) AS min_steps,
                               array_agg(coalesce(max, 'NaN')) AS maxes, array_agg(coalesce(max_step, 0)) AS max_steps,
                               array_agg(step) AS steps, array_agg(coalesce(value, 'NaN')) AS vals
                           FROM metrics WHERE run_id = r.id
                           """)
        let checkpoints = part(.checkpoints, "c.pointers, c.keys, c.vals", [texts, texts, numbers],
                               "SELECT array_agg(pointer) AS pointers, array_agg(key) AS keys, array_agg(coalesce(value, 'NaN')) AS vals "
                               + "FROM checkpoint_metrics WHERE run_id = r.id")
        return """
            SELECT r.id, r.record, r.folder, r.kept_checkpoints, r.best_seq, r.best_path, r.best_step, r.best_epoch,
                r.last_seq, r.last_path, r.last_step, r.last_epoch, r.stamp, r.deleted_at,
                \(params.columns), \(tags.columns), \(metrics.columns), \(checkpoints.columns)
            FROM runs r\(params.join)\(tags.join)\(metrics.join)\(checkpoints.join) WHERE r.id = ANY($1)
            """
    }

    private func rows(_ sql: String, _ ids: [String]) async throws -> PostgresRowSequence {
        var bindings = PostgresBindings()
        bindings.append(ids)
        return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
    }

    private static func checkpoint(_ cells: PostgresRandomAccessRow, at column: Int) throws -> RunFacts.CheckpointSummary? {
        guard let seq = try cells[column].decode(Int64?.self), let path = try cells[column + 1].decode(String?.self).map(IndexText.decode) else { return nil }
        return RunFacts.CheckpointSummary(seq: Int(seq), path: path, step: try cells[column + 2].decode(Int64?.self).map { Int($0) },
                                          epoch: try cells[column + 3].decode(Int64?.self).map { Int($0) }, metrics: [:])
    }

    func experiments() async throws -> [ExperimentRecord] {
        let decoder = JSONDecoder()
        var out: [ExperimentRecord] = []
        for try await record in try await connection.query("SELECT record FROM experiments ORDER BY id", logger: logger).decode(String.self) {
            out.append(try decoder.decode(ExperimentRecord.self, from: Data(record.utf8)))
        }
        return out
    }
}
