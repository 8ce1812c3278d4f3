import CairnCore
import Foundation
import GRDB

/// Reads runs and experiments back out of the index's tables.
struct IndexReader {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The runs with these ids that the index holds, in the order given.
    func runs(of ids: [String], parts: RunQuery.Parts = .all) throws -> [IndexedRun] {
        var found: [String: RunFacts] = [:]
        var stamps: [String: String] = [:]
        let decoder = JSONDecoder()
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            start += chunk.count
            try read(chunk, parts: parts, into: &found, stamps: &stamps, decoder: decoder)
        }
        return ids.compactMap { id in found[id].map { IndexedRun(facts: $0, stamp: stamps[id] ?? "") } }
    }

    private func read(_ ids: [String], parts: RunQuery.Parts, into found: inout [String: RunFacts], stamps: inout [String: String],
                      decoder: JSONDecoder) throws {
        let list = "(" + SearchSQL.placeholders(ids.count) + ")"
        let arguments = StatementArguments(ids)
        for row in try Row.fetchAll(db, sql: """
            SELECT id, record, folder, kept_checkpoints, best_seq, best_path, best_step, best_epoch,
                last_seq, last_path, last_step, last_epoch, stamp FROM runs WHERE id IN \(list)
            """, arguments: arguments) {
            let record = try decoder.decode(RunRecord.self, from: Data((row[1] as String).utf8))
            stamps[row[0]] = row[12]
            found[row[0]] = RunFacts(record: record, folder: row[2], bestCheckpoint: Self.checkpoint(row, at: 4),
                                       lastCheckpoint: Self.checkpoint(row, at: 8), keptCheckpoints: row[3])
        }
        for row in try parts.contains(.params) ? Row.fetchAll(db, sql: "SELECT run_id, key, value FROM params WHERE run_id IN \(list)", arguments: arguments) : [] {
            found[row[0]]?.params[row[1]] = row[2]
        }
        for row in try parts.contains(.tags) ? Row.fetchAll(db, sql: "SELECT run_id, key, value FROM tags WHERE run_id IN \(list)", arguments: arguments) : [] {
            found[row[0]]?.tags[row[1]] = row[2]
        }
        for row in try parts.contains(.metrics) ? Row.fetchAll(db, sql: """
            SELECT run_id, name, key, count, last_value, last_step, min, min_step, max, max_step, step, value
            FROM metrics WHERE run_id IN \(list)
            """, arguments: arguments) : [] {
            found[row[0]]?.metrics[row[1]] = MetricSummary(
                key: row[2], count: row[3], last: (row[4] as Double?) ?? .nan, lastStep: row[5],
                min: row[6], minStep: row[7], max: row[8], maxStep: row[9],
                highestStep: row[10], valueAtHighestStep: (row[11] as Double?) ?? .nan)
        }
        for row in try parts.contains(.checkpoints) ? Row.fetchAll(db, sql: "SELECT run_id, pointer, key, value FROM checkpoint_metrics WHERE run_id IN \(list)", arguments: arguments) : [] {
            let id: String = row[0], key: String = row[2], value = (row[3] as Double?) ?? .nan
            if (row[1] as String) == "best" {
                found[id]?.bestCheckpoint?.metrics[key] = value
            } else {
                found[id]?.lastCheckpoint?.metrics[key] = value
            }
        }
    }

    private static func checkpoint(_ row: Row, at column: Int) -> RunFacts.CheckpointSummary? {
        guard let seq = row[column] as Int?, let path = row[column + 1] as String? else { return nil }
        return RunFacts.CheckpointSummary(seq: seq, path: path, step: row[column + 2], epoch: row[column + 3], metrics: [:])
    }

    func experiments() throws -> [ExperimentRecord] {
        let decoder = JSONDecoder()
        return try String.fetchAll(db, sql: "SELECT record FROM experiments ORDER BY id").map {
            try decoder.decode(ExperimentRecord.self, from: Data($0.utf8))
        }
    }
}
