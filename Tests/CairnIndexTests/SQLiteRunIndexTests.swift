import CairnCore
@testable import CairnIndex
import GRDB
import CairnTestSupport
import Foundation
import Testing

@Suite struct SQLiteRunIndexTests {
    private func indexed(_ runs: [RunFacts]) -> [IndexedRun] {
        runs.map { IndexedRun(facts: $0, stamp: "s-\($0.record.id)") }
    }

    private func contract(_ folder: TemporaryDirectory) -> RunIndexContract {
        let path = folder.path + "/index.sqlite"
        return RunIndexContract { try SQLiteRunIndex(path: path) }
    }

    @Test func answersEveryGeneratedQueryAsTheFilterDefinesIt() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).answersEveryGeneratedQueryAsTheFilterDefinesIt()
    }

    @Test func givesBackWhatItWasGiven() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).givesBackWhatItWasGiven()
    }

    @Test func takesRunsLargerThanOneStatement() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).takesRunsLargerThanOneStatement()
    }

    @Test func readsThePartsAskedFor() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).readsThePartsAskedFor()
    }

    @Test func keepsExperiments() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).keepsExperiments()
    }

    @Test func valuesAreBoundNeverSpliced() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).valuesAreBoundNeverSpliced()
    }

    @Test func takesConcurrentWriters() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).takesConcurrentWriters()
    }

    @Test func refusesDamagedFiles() async throws {
        let folder = try TemporaryDirectory()
        for (name, bytes) in [("random", (0..<8192).map { _ in UInt8.random(in: 0...255) }),
                              ("text", Array("not a database\n".utf8))] {
            let path = folder.path + "/\(name).sqlite"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            #expect { try SQLiteRunIndex(path: path) } throws: { ($0 as? CairnError)?.kind == .corrupt }
        }
        // A truncated database: its first page only.
        let good = folder.path + "/good.sqlite"
        do {  // Closed at the end of the scope: the write-ahead log goes into the file.
            let index = try SQLiteRunIndex(path: good)
            var generator = RandomRunFacts(seed: 1)
            try await index.update(runs: indexed((0..<200).map { generator.run(index: $0) }), removing: [], experiments: [])
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: good))
        let truncated = folder.path + "/truncated.sqlite"
        _ = FileManager.default.createFile(atPath: truncated, contents: whole.prefix(4096))
        await #expect { 
            let damaged = try SQLiteRunIndex(path: truncated)
            _ = try await damaged.search(RunQuery())
        } throws: { ($0 as? CairnError)?.kind == .corrupt }
    }

    @Test func refusesAnIndexOfANewerCairn() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/index.sqlite"
        _ = try SQLiteRunIndex(path: path)
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('v99')\"); c.commit()"
        let result = try TestProcess.run("/usr/bin/env", ["python3", "-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect { try SQLiteRunIndex(path: path) } throws: {
            ($0 as? CairnError)?.kind == .unsupportedFormat && "\($0)".contains("newer cairn")
        }
    }

    /// An index of the first schema (rowid tables, no deletions) is migrated when opened: its rows kept
    /// through v2 and v3, then cleared by v4 for the files to be read again.
    @Test func migratesAnIndexOfTheFirstSchema() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.path + "/index.sqlite"
        var generator = RandomRunFacts(seed: 9)
        // The first schema knew no deletions.
        let runs = indexed((0..<40).map { index in
            var run = generator.run(index: index)
            run.deletedAt = nil
            return run
        })
        // The rows as today's writer writes them, copied into the first schema's tables (its columns only).
        let full = try DatabaseQueue(path: folder.path + "/full.sqlite")
        try IndexSchema.migrator.migrate(full)
        try await full.write { db in try IndexWriter(db).update(runs: runs, removing: [], experiments: []) }
        try full.close()
        let queue = try DatabaseQueue(path: path)
        try IndexSchema.migrator.migrate(queue, upTo: "v1")
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS full", arguments: [folder.path + "/full.sqlite"])
            for table in IndexSchema.tables {
                let columns = try Row.fetchAll(db, sql: "PRAGMA main.table_info(\(table))").map { $0["name"] as String }.joined(separator: ", ")
                try db.execute(sql: "INSERT INTO main.\(table) (\(columns)) SELECT \(columns) FROM full.\(table)")
            }
            try db.execute(sql: "DETACH DATABASE full")
        }
        // v2 and v3 keep the rows: the runs read back as they were written.
        try IndexSchema.migrator.migrate(queue, upTo: "v3")
        let kept = try await queue.read { db in try IndexReader(db).runs(of: runs.map(\.facts.record.id.value)) }
        #expect(kept.map(\.facts) == runs.map(\.facts))
        try queue.close()

        // v4 (texts escaped) clears them: the store reads every run from its files again.
        let index = try SQLiteRunIndex(path: path)
        #expect(try await index.facts(of: runs.map(\.facts.record.id)).isEmpty)
        #expect(try await index.metadata("watch") == nil)
        try await index.update(runs: runs, removing: [], experiments: [])
        let query = RunQuery(filter: try RunFilter(parsing: "metrics.loss < 0.5"), orderings: [try RunOrdering(parsing: "metrics.loss")])
        #expect(try await index.search(query).runs.map(\.facts) == query.evaluate(runs).runs.map(\.facts))
        let check = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(sorted(r[0] for r in c.execute('SELECT identifier FROM grdb_migrations')), c.execute(\"SELECT sql FROM sqlite_master WHERE name = 'params'\").fetchone()[0])"
        let listed = try TestProcess.run("/usr/bin/env", ["python3", "-c", check, path])
        #expect(listed.stdout.contains("['v1', 'v2', 'v3', 'v4']") && listed.stdout.contains("WITHOUT ROWID"), "\(listed.stdout) \(listed.stderr)")
    }

    @Test func keepsTheLaterReadOfARun() async throws {
        let folder = try TemporaryDirectory()
        try await contract(folder).keepsTheLaterReadOfARun()
    }

    @Test func worksWithARollbackJournal() async throws {
        let folder = try TemporaryDirectory()
        let index = try SQLiteRunIndex(path: folder.path + "/index.sqlite", journal: .rollback)
        var generator = RandomRunFacts(seed: 2)
        let runs = (0..<20).map { generator.run(index: $0) }
        try await index.update(runs: indexed(runs), removing: [], experiments: [])
        var all = RunQuery()
        all.lifecycle = .all
        #expect(try await index.search(all).runs.count == 20)
        #expect(try await index.search(RunQuery()).runs.count == runs.filter { $0.deletedAt == nil }.count)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/index.sqlite-wal"))
    }
}
