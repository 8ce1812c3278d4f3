import CairnCore
import Foundation
import GRDB
import GRDBSQLite

/// Reads runs and experiments back out of the index's tables.
///
/// A search's page is read with SQLite's C API over GRDB's prepared statements: no row objects, and a
/// child row's run found by comparing its id's bytes with the previous row's (the rows of one run come
/// together) before any dictionary is asked.
struct IndexReader {
    let db: Database

    init(_ db: Database) { self.db = db }

    /// The runs with these ids that the index holds, in the order given.
    func runs(of ids: [String], parts: RunQuery.Parts = .all) throws -> [IndexedRun] {
        var page = Page(ids)
        var start = 0
        while start < page.ids.count {
            let chunk = Array(page.ids[start..<min(page.ids.count, start + 500)])
            start += chunk.count
            try read(chunk, parts: parts, into: &page)
        }
        return ids.compactMap { id in
            guard let slot = page.slots[id], let facts = page.facts[slot] else { return nil }
            return IndexedRun(facts: facts, stamp: page.stamps[slot])
        }
    }

    /// The runs being read: each distinct id's slot, and what was read for it.
    private struct Page {
        var ids: [String] = []
        var slots: [String: Int] = [:]
        var facts: [RunFacts?] = []
        var stamps: [String] = []
        /// The id bytes and slot of the last child row's run.
        var lastID: [UInt8] = []
        var lastSlot: Int?

        init(_ wanted: [String]) {
            for id in wanted where slots[id] == nil {
                slots[id] = ids.count
                ids.append(id)
            }
            facts = Array(repeating: nil, count: ids.count)
            stamps = Array(repeating: "", count: ids.count)
        }

        /// The slot of the run whose id is column 0 of the current row.
        mutating func slot(_ row: OpaquePointer) -> Int? {
            guard sqlite3_column_type(row, 0) == SQLITE_TEXT, let text = sqlite3_column_text(row, 0) else { return nil }
            let id = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(row, 0)))
            if lastSlot != nil, id.elementsEqual(lastID) { return lastSlot }
            lastID = Array(id)
            lastSlot = slots[String(decoding: id, as: UTF8.self)]
            return lastSlot
        }
    }

    private func read(_ ids: [String], parts: RunQuery.Parts, into page: inout Page) throws {
        let list = "(" + SearchSQL.placeholders(ids.count) + ")"
        let arguments = StatementArguments(ids)
        let decoder = JSONDecoder()
        try each("""
            SELECT id, record, folder, kept_checkpoints, best_seq, best_path, best_step, best_epoch,
                last_seq, last_path, last_step, last_epoch, stamp, deleted_at FROM runs WHERE id IN \(list)
            """, arguments) { row in
            guard let slot = page.slot(row), let json = Self.text(row, 1) else { return }
            let record = try RunRecord(recordJSON: json) ?? decoder.decode(RunRecord.self, from: Data(json.utf8))
            page.stamps[slot] = Self.text(row, 12) ?? ""
            page.facts[slot] = RunFacts(record: record, folder: Self.text(row, 2) ?? "", bestCheckpoint: Self.checkpoint(row, at: 4),
                                        lastCheckpoint: Self.checkpoint(row, at: 8), keptCheckpoints: Self.integer(row, 3).map(Int.init) ?? 0)
            page.facts[slot]?.deletedAt = Self.integer(row, 13).map { Timestamp(millisecondsSinceEpoch: Int64($0)) }
        }
        page.lastSlot = nil
        if parts.contains(.params) {
            try each("SELECT run_id, key, value FROM params WHERE run_id IN \(list) ORDER BY run_id", arguments) { row in
                if let slot = page.slot(row), let key = Self.text(row, 1) { page.facts[slot]?.params[key] = Self.text(row, 2) }
            }
        }
        if parts.contains(.tags) {
            try each("SELECT run_id, key, value FROM tags WHERE run_id IN \(list) ORDER BY run_id", arguments) { row in
                if let slot = page.slot(row), let key = Self.text(row, 1) { page.facts[slot]?.tags[key] = Self.text(row, 2) }
            }
        }
        if parts.contains(.metrics) {
            try each("""
                SELECT run_id, name, key, count, last_value, last_step, min, min_step, max, max_step, step, value
                FROM metrics WHERE run_id IN \(list) ORDER BY run_id
                """, arguments) { row in
                guard let slot = page.slot(row), let name = Self.text(row, 1), let key = Self.text(row, 2) else { return }
                page.facts[slot]?.metrics[name] = MetricSummary(
                    key: key, count: Self.integer(row, 3).map(Int.init) ?? 0, last: Self.real(row, 4) ?? .nan, lastStep: Self.integer(row, 5) ?? 0,
                    min: Self.real(row, 6), minStep: Self.integer(row, 7), max: Self.real(row, 8), maxStep: Self.integer(row, 9),
                    highestStep: Self.integer(row, 10) ?? 0, valueAtHighestStep: Self.real(row, 11) ?? .nan)
            }
        }
        if parts.contains(.checkpoints) {
            try each("SELECT run_id, pointer, key, value FROM checkpoint_metrics WHERE run_id IN \(list) ORDER BY run_id", arguments) { row in
                guard let slot = page.slot(row), let key = Self.text(row, 2) else { return }
                let value = Self.real(row, 3) ?? .nan
                if Self.text(row, 1) == "best" {
                    page.facts[slot]?.bestCheckpoint?.metrics[key] = value
                } else {
                    page.facts[slot]?.lastCheckpoint?.metrics[key] = value
                }
            }
        }
    }

    /// Runs `body` on each row of `sql`, through GRDB's cache of prepared statements.
    private func each(_ sql: String, _ arguments: StatementArguments, _ body: (OpaquePointer) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                let connection = db.sqliteConnection
                throw DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                                    message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: sql)
            }
            try body(handle)
        }
    }

    private static func checkpoint(_ row: OpaquePointer, at column: Int32) -> RunFacts.CheckpointSummary? {
        guard let seq = integer(row, column), let path = text(row, column + 1) else { return nil }
        return RunFacts.CheckpointSummary(seq: Int(seq), path: path, step: integer(row, column + 2).map { Int($0) },
                                          epoch: integer(row, column + 3).map { Int($0) }, metrics: [:])
    }

    private static func text(_ row: OpaquePointer, _ column: Int32) -> String? {
        guard sqlite3_column_type(row, column) == SQLITE_TEXT, let text = sqlite3_column_text(row, column) else { return nil }
        return IndexText.decode(String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(row, column))), as: UTF8.self))
    }

    private static func integer(_ row: OpaquePointer, _ column: Int32) -> Int64? {
        sqlite3_column_type(row, column) == SQLITE_INTEGER ? sqlite3_column_int64(row, column) : nil
    }

    private static func real(_ row: OpaquePointer, _ column: Int32) -> Double? {
        switch sqlite3_column_type(row, column) {
        case SQLITE_FLOAT, SQLITE_INTEGER: sqlite3_column_double(row, column)
        default: nil
        }
    }

    func experiments() throws -> [ExperimentRecord] {
        let decoder = JSONDecoder()
        return try String.fetchAll(db, sql: "SELECT record FROM experiments ORDER BY id").map {
            try decoder.decode(ExperimentRecord.self, from: Data($0.utf8))
        }
    }
}
