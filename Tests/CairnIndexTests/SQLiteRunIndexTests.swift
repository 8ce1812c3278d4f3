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

    @Test func answersEveryGeneratedQueryAsTheFilterDefinesIt() async throws {
        let folder = try TemporaryDirectory()
        let index = try SQLiteRunIndex(path: folder.path + "/index.sqlite")
        var generator = RandomRunFacts(seed: 42)
        let runs = (0..<300).map { generator.run(index: $0) }
        try await index.update(runs: indexed(runs), removing: [], experiments: [])
        for round in 0..<600 {
            var query = RunQuery(filter: generator.filter(), orderings: (0..<Int(generator.random.next() % 3)).map { _ in generator.ordering() })
            if round % 3 == 0 { query.limit = Int(generator.random.next() % 20) + 1 }
            if round % 5 == 0 { query.offset = Int(generator.random.next() % 10) }
            if round % 7 == 0 { query.experiments = [ExperimentID(Int(generator.random.next() % 3) + 1)] }
            query.lifecycle = [RunQuery.Lifecycle.active, .deleted, .all][round % 3]
            let expected = query.evaluate(indexed(runs))
            let answer = try await index.search(query)
            #expect(answer.runs.map(\.facts.record.id) == expected.runs.map(\.facts.record.id), "\(query.filter) ORDER BY \(query.orderings)")
            #expect(answer.nextOffset == expected.nextOffset)
        }
    }

    @Test func givesBackWhatItWasGiven() async throws {
        let folder = try TemporaryDirectory()
        let index = try SQLiteRunIndex(path: folder.path + "/index.sqlite")
        var generator = RandomRunFacts(seed: 5)
        var runs = (0..<50).map { generator.run(index: $0) }
        try await index.update(runs: indexed(runs), removing: [], experiments: [])
        #expect(try await index.facts(of: runs.map(\.record.id)) == runs)
        // Replace some, remove some.
        let removed = runs.prefix(5).map(\.record.id)
        runs.removeFirst(5)
        runs[0].tags = ["changed": "yes"]
        runs[0].metrics = [:]
        try await index.update(runs: indexed([runs[0]]), removing: removed, experiments: [])
        #expect(try await index.facts(of: removed).isEmpty)
        #expect(try await index.facts(of: runs.map(\.record.id)) == runs)
        let stamps = try await index.stamps(in: nil)
        #expect(stamps.count == runs.count && stamps[runs[0].record.id] == "s-\(runs[0].record.id)")
        let first = runs[0].record.experimentID
        #expect(try await index.stamps(in: [first]).keys.sorted() == runs.filter { $0.record.experimentID == first }.map(\.record.id).sorted())
        // Reopening finds it all again; metadata survives.
        try await index.setMetadata("k", "v")
        let reopened = try SQLiteRunIndex(path: folder.path + "/index.sqlite")
        #expect(try await reopened.facts(of: runs.map(\.record.id)) == runs)
        #expect(try await reopened.metadata("k") == "v")
        try await reopened.removeAll()
        #expect(try await reopened.stamps(in: nil).isEmpty)
    }

    @Test func valuesAreBoundNeverSpliced() async throws {
        let folder = try TemporaryDirectory()
        let index = try SQLiteRunIndex(path: folder.path + "/index.sqlite")
        var generator = RandomRunFacts(seed: 9)
        var run = generator.run(index: 1)
        run.params = ["a": "1' OR 1=1 --", "b'; DROP TABLE runs; --": "x"]
        try await index.update(runs: indexed([run, generator.run(index: 2)]), removing: [], experiments: [])
        let hostile = try RunFilter(parsing: "params.a = '1'' OR 1=1 --'")
        #expect(try await index.search(RunQuery(filter: hostile)).runs.map(\.facts.record.id) == [run.record.id])
        let key = try RunFilter(parsing: "params.`b'; DROP TABLE runs; --` = 'x'")
        #expect(try await index.search(RunQuery(filter: key)).runs.count == 1)
        #expect(try await index.search(RunQuery()).runs.count == 2)
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

    /// An index of the first schema (rowid tables, no deletions) is migrated when opened, its rows kept.
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
        try queue.close()

        let index = try SQLiteRunIndex(path: path)
        #expect(try await index.facts(of: runs.map(\.facts.record.id)) == runs.map(\.facts))
        let query = RunQuery(filter: try RunFilter(parsing: "metrics.loss < 0.5"), orderings: [try RunOrdering(parsing: "metrics.loss")])
        #expect(try await index.search(query).runs.map(\.facts) == query.evaluate(runs).runs.map(\.facts))
        let check = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(sorted(r[0] for r in c.execute('SELECT identifier FROM grdb_migrations')), c.execute(\"SELECT sql FROM sqlite_master WHERE name = 'params'\").fetchone()[0])"
        let listed = try TestProcess.run("/usr/bin/env", ["python3", "-c", check, path])
        #expect(listed.stdout.contains("['v1', 'v2', 'v3']") && listed.stdout.contains("WITHOUT ROWID"), "\(listed.stdout) \(listed.stderr)")
    }

    @Test func keepsTheLaterReadOfARun() async throws {
        let folder = try TemporaryDirectory()
        let index = try SQLiteRunIndex(path: folder.path + "/index.sqlite")
        var generator = RandomRunFacts(seed: 4)
        var later = generator.run(index: 1)
        later.tags = ["read": "later"]
        var earlier = later
        earlier.tags = ["read": "earlier"]
        try await index.update(runs: [IndexedRun(facts: later, stamp: "7:10:2000\tf/run.json\n-\tf/tags.json")], removing: [], experiments: [])
        // A process that read the run before committed after: its read is not kept.
        try await index.update(runs: [IndexedRun(facts: earlier, stamp: "7:10:1000\tf/run.json\n-\tf/tags.json")], removing: [], experiments: [])
        #expect(try await index.facts(of: [later.record.id]).first?.tags == ["read": "later"])
        var newest = later
        newest.tags = ["read": "newest"]
        try await index.update(runs: [IndexedRun(facts: newest, stamp: "8:12:3000\tf/run.json\n-\tf/tags.json")], removing: [], experiments: [])
        #expect(try await index.facts(of: [later.record.id]).first?.tags == ["read": "newest"])
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
