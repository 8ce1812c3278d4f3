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
        // Columns are read as DatabaseValues and matched on their storage: GRDB's generic decoding
        // (`row[i] as String`) looked up the Swift runtime's metadata for every column of every row.
        for row in try Row.fetchAll(db, sql: """
            SELECT id, record, folder, kept_checkpoints, best_seq, best_path, best_step, best_epoch,
                last_seq, last_path, last_step, last_epoch, stamp FROM runs WHERE id IN \(list)
            """, arguments: arguments) {
            let v = Array(row.databaseValues)
            guard let id = v[0].text, let json = v[1].text else { continue }
            let record = try RunRecord(recordJSON: json) ?? decoder.decode(RunRecord.self, from: Data(json.utf8))
            stamps[id] = v[12].text ?? ""
            found[id] = RunFacts(record: record, folder: v[2].text ?? "", bestCheckpoint: Self.checkpoint(v, at: 4),
                                 lastCheckpoint: Self.checkpoint(v, at: 8), keptCheckpoints: v[3].integer.map(Int.init) ?? 0)
        }
        for row in try parts.contains(.params) ? Row.fetchAll(db, sql: "SELECT run_id, key, value FROM params WHERE run_id IN \(list)", arguments: arguments) : [] {
            let v = Array(row.databaseValues)
            if let id = v[0].text, let key = v[1].text { found[id]?.params[key] = v[2].text }
        }
        for row in try parts.contains(.tags) ? Row.fetchAll(db, sql: "SELECT run_id, key, value FROM tags WHERE run_id IN \(list)", arguments: arguments) : [] {
            let v = Array(row.databaseValues)
            if let id = v[0].text, let key = v[1].text { found[id]?.tags[key] = v[2].text }
        }
        for row in try parts.contains(.metrics) ? Row.fetchAll(db, sql: """
            SELECT run_id, name, key, count, last_value, last_step, min, min_step, max, max_step, step, value
            FROM metrics WHERE run_id IN \(list)
            """, arguments: arguments) : [] {
            let v = Array(row.databaseValues)
            guard let id = v[0].text, let name = v[1].text, let key = v[2].text else { continue }
            found[id]?.metrics[name] = MetricSummary(
                key: key, count: v[3].integer.map(Int.init) ?? 0, last: v[4].real ?? .nan, lastStep: v[5].integer ?? 0,
                min: v[6].real, minStep: v[7].integer, max: v[8].real, maxStep: v[9].integer,
                highestStep: v[10].integer ?? 0, valueAtHighestStep: v[11].real ?? .nan)
        }
        for row in try parts.contains(.checkpoints) ? Row.fetchAll(db, sql: "SELECT run_id, pointer, key, value FROM checkpoint_metrics WHERE run_id IN \(list)", arguments: arguments) : [] {
            let v = Array(row.databaseValues)
            guard let id = v[0].text, let key = v[2].text else { continue }
            let value = v[3].real ?? .nan
            if v[1].text == "best" {
                found[id]?.bestCheckpoint?.metrics[key] = value
            } else {
                found[id]?.lastCheckpoint?.metrics[key] = value
            }
        }
    }

    private static func checkpoint(_ v: [DatabaseValue], at column: Int) -> RunFacts.CheckpointSummary? {
        guard let seq = v[column].integer, let path = v[column + 1].text else { return nil }
        let step = v[column + 2].integer, epoch = v[column + 3].integer
        return RunFacts.CheckpointSummary(seq: Int(seq), path: path, step: step.map { Int($0) }, epoch: epoch.map { Int($0) }, metrics: [:])
    }

    func experiments() throws -> [ExperimentRecord] {
        let decoder = JSONDecoder()
        return try String.fetchAll(db, sql: "SELECT record FROM experiments ORDER BY id").map {
            try decoder.decode(ExperimentRecord.self, from: Data($0.utf8))
        }
    }
}

private extension DatabaseValue {
    // Not inlined: Swift 6.3's optimizer crashes (CopyPropagation) on these inlined into checkpoint(_:at:).
    @inline(never) var text: String? {
        switch storage {
        case .string(let text): return text
        default: return nil
        }
    }

    @inline(never) var integer: Int64? {
        switch storage {
        case .int64(let number): return number
        default: return nil
        }
    }

    @inline(never) var real: Double? {
        switch storage {
        case .double(let number): return number
        case .int64(let number): return Double(number)
        default: return nil
        }
    }
}
