import CairnCore
import CairnIndex
import Foundation
import Logging
import PostgresNIO

/// Reads runs and experiments back out of the index's tables.
struct PostgresReader {
    let connection: PostgresConnection
    let logger: Logger

    /// The runs with these ids that the index holds, in the order given.
    func runs(of ids: [String], parts: RunQuery.Parts = .all) async throws -> [IndexedRun] {
        var unique: [String] = []
        var seen: Set<String> = []
        for id in ids where seen.insert(id).inserted { unique.append(id) }
        guard !unique.isEmpty else { return [] }
        var facts: [String: RunFacts] = [:]
        var stamps: [String: String] = [:]
        let decoder = JSONDecoder()
        let runs = try await rows("""
            SELECT id, record, folder, kept_checkpoints, best_seq, best_path, best_step, best_epoch,
                last_seq, last_path, last_step, last_epoch, stamp, deleted_at FROM runs WHERE id = ANY($1)
            """, unique)
        for try await row in runs {
            let cells = row.makeRandomAccess()
            let id = try cells[0].decode(String.self)
            let json = try cells[1].decode(String.self)
            let record = try RunRecord(recordJSON: json) ?? decoder.decode(RunRecord.self, from: Data(json.utf8))
            var run = RunFacts(record: record, folder: IndexText.decode(try cells[2].decode(String.self)),
                               bestCheckpoint: try Self.checkpoint(cells, at: 4), lastCheckpoint: try Self.checkpoint(cells, at: 8),
                               keptCheckpoints: Int(try cells[3].decode(Int64.self)))
            run.deletedAt = try cells[13].decode(Int64?.self).map { Timestamp(millisecondsSinceEpoch: $0) }
            facts[id] = run
            stamps[id] = IndexText.decode(try cells[12].decode(String.self))
        }
        if parts.contains(.params) {
            for try await (id, key, value) in try await rows("SELECT run_id, key, value FROM params WHERE run_id = ANY($1)", unique)
                .decode((String, String, String).self) {
                facts[id]?.params[IndexText.decode(key)] = IndexText.decode(value)
            }
        }
        if parts.contains(.tags) {
            for try await (id, key, value) in try await rows("SELECT run_id, key, value FROM tags WHERE run_id = ANY($1)", unique)
                .decode((String, String, String).self) {
                facts[id]?.tags[IndexText.decode(key)] = IndexText.decode(value)
            }
        }
        if parts.contains(.metrics) {
            let metrics = try await rows("""
                SELECT run_id, name, key, count, last_value, last_step, min, min_step, max, max_step, step, value
                FROM metrics WHERE run_id = ANY($1)
                """, unique)
            for try await row in metrics {
                let c = row.makeRandomAccess()
                let id = try c[0].decode(String.self), name = IndexText.decode(try c[1].decode(String.self))
                facts[id]?.metrics[name] = MetricSummary(
                    key: IndexText.decode(try c[2].decode(String.self)), count: Int(try c[3].decode(Int64.self)), last: try c[4].decode(Double?.self) ?? .nan,
                    lastStep: try c[5].decode(Int64.self), min: try c[6].decode(Double?.self), minStep: try c[7].decode(Int64?.self),
                    max: try c[8].decode(Double?.self), maxStep: try c[9].decode(Int64?.self),
                    highestStep: try c[10].decode(Int64.self), valueAtHighestStep: try c[11].decode(Double?.self) ?? .nan)
            }
        }
        if parts.contains(.checkpoints) {
            for try await (id, pointer, key, value) in try await rows("SELECT run_id, pointer, key, value FROM checkpoint_metrics WHERE run_id = ANY($1)", unique)
                .decode((String, String, String, Double?).self) {
                let key = IndexText.decode(key)
                if pointer == "best" {
                    facts[id]?.bestCheckpoint?.metrics[key] = value ?? .nan
                } else {
                    facts[id]?.lastCheckpoint?.metrics[key] = value ?? .nan
                }
            }
        }
        return ids.compactMap { id in facts[id].map { IndexedRun(facts: $0, stamp: stamps[id] ?? "") } }
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
