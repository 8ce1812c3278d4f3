import CairnCore
import Foundation
import GRDB

/// Writes runs and experiments into the index's tables, inside the caller's transaction.
struct IndexWriter {
    let db: Database

    init(_ db: Database) { self.db = db }

    func update(runs: [IndexedRun], removing: [RunID], experiments: [ExperimentRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for id in removing { try delete(id.value) }
        for run in runs {
            let id = run.facts.record.id.value
            // Another process may have committed a later read of this run meanwhile: keep it.
            if let existing = try String.fetchOne(db, sql: "SELECT stamp FROM runs WHERE id = ?", arguments: [id]),
               StampOrder.isOlder(run.stamp, than: IndexText.decode(existing)) {
                continue
            }
            try delete(id)
            try insert(run, encoder: encoder)
        }
        for experiment in experiments {
            try db.execute(sql: "DELETE FROM experiments WHERE id = ?", arguments: [experiment.id.value])
            try db.execute(sql: "INSERT INTO experiments (id, name, record) VALUES (?, ?, ?)",
                           arguments: [experiment.id.value, IndexText.encode(experiment.name.description),
                                       String(decoding: try encoder.encode(experiment), as: UTF8.self)])
        }
    }

    private func delete(_ id: String) throws {
        for table in IndexSchema.tables where table != "experiments" && table != "meta" {
            let column = table == "runs" ? "id" : "run_id"
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE \(column) = ?").execute(arguments: [id])
        }
    }

    private func insert(_ run: IndexedRun, encoder: JSONEncoder) throws {
        let facts = run.facts
        let record = facts.record
        let id = record.id.value
        // Texts as the index keeps them (IndexText: bytes 0 and 1 escaped; SQLite's binding stops at a 0).
        let text = IndexText.encode
        var arguments: [(any DatabaseValueConvertible)?] = [
            id, record.experimentID.value, text(record.experiment), record.name.map(text), text(record.status.rawValue),
            record.startTime.millisecondsSinceEpoch, record.endTime?.millisecondsSinceEpoch, text(record.user),
            text(facts.folder), String(decoding: try encoder.encode(record), as: UTF8.self), facts.keptCheckpoints,
        ]
        for checkpoint in [facts.bestCheckpoint, facts.lastCheckpoint] {
            arguments += [checkpoint?.seq, checkpoint.map { text($0.path) }, checkpoint?.step, checkpoint?.epoch]
        }
        arguments.append(text(run.stamp))
        arguments.append(facts.deletedAt?.millisecondsSinceEpoch)
        try db.cachedStatement(sql: """
            INSERT INTO runs (id, experiment_id, experiment, name, status, start_time, end_time, user_name, folder,
                record, kept_checkpoints, best_seq, best_path, best_step, best_epoch,
                last_seq, last_path, last_step, last_epoch, stamp, deleted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: StatementArguments(arguments))
        let param = try db.cachedStatement(sql: "INSERT INTO params (run_id, key, value, number) VALUES (?, ?, ?, ?)")
        for (key, value) in facts.params {
            try param.execute(arguments: [id, text(key), text(value), RunFacts.number(value)])
        }
        let tag = try db.cachedStatement(sql: "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)")
        for (key, value) in facts.tags { try tag.execute(arguments: [id, text(key), text(value)]) }
        let metric = try db.cachedStatement(sql: """
            INSERT INTO metrics (run_id, name, split, key, value, step, last_value, last_step, min, min_step, max, max_step, count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (name, m) in facts.metrics {
            let split = name == m.key ? MetricName.defaultSplit : String(name.dropLast(m.key.count + 1))
            try metric.execute(arguments: [id, text(name), text(split), text(m.key), Self.real(m.valueAtHighestStep), m.highestStep,
                                           Self.real(m.last), m.lastStep, m.min.flatMap(Self.real), m.minStep,
                                           m.max.flatMap(Self.real), m.maxStep, m.count])
        }
        let checkpointMetric = try db.cachedStatement(sql: "INSERT INTO checkpoint_metrics (run_id, pointer, key, value) VALUES (?, ?, ?, ?)")
        for (pointer, checkpoint) in [("best", facts.bestCheckpoint), ("last", facts.lastCheckpoint)] {
            for (key, value) in checkpoint?.metrics ?? [:] {
                try checkpointMetric.execute(arguments: [id, pointer, text(key), Self.real(value)])
            }
        }
    }

    /// NaN as NULL: SQL has no NaN that compares as Cairn's filters want (SQLite stores NULL anyway).
    static func real(_ value: Double) -> Double? { value.isNaN ? nil : value }
}
