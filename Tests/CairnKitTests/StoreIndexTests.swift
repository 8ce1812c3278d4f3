import CairnCore
import CairnIndex
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite struct StoreIndexTests {
    /// Random operations, the index kept up to date after each as the CLI keeps it; it always equals
    /// what a fresh read of the files gives (`reindex --check` finds nothing).
    @Test(arguments: IndexBackend.all, [1, 2, 3] as [UInt64])
    func keptIndexEqualsAFreshRead(backend: IndexBackend, seed: UInt64) async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try backend.use(in: store)
        _ = try await store.searchRuns(RunQuery())  // creates the index, as a first search does
        var random = SeededGenerator(seed: seed)
        var runs: [Run] = []
        for step in 0..<60 {
            switch runs.isEmpty ? 0 : random.next() % 7 {
            case 0:
                let experiment = ["vae/a", "vae/b", "gan"][Int(random.next() % 3)]
                runs.append(try store.createRun(.plain(experiment, name: "r\(step)", config: .mapping(ConfigMapping([("lr", .float(Double(random.next() % 100) / 1000))])))))
            case 1:
                let run = runs[Int(random.next() % UInt64(runs.count))]
                try store.setTags(["team": ["a", "b"][Int(random.next() % 2)], "step": "\(step)"], on: run)
            case 2:
                let run = runs[Int(random.next() % UInt64(runs.count))]
                try? store.setParams(["extra\(step % 3)": "\(step)"], on: run)  // A param set twice to another value is refused: fine here.
            case 3, 4:
                let run = runs[Int(random.next() % UInt64(runs.count))]
                let logger = MetricLogger(store: store, run: run)
                for s in 0..<Int64(random.next() % 5 + 1) {
                    try logger.log("loss", Double(random.next() % 1000) / 1000, step: Int64(step) * 10 + s, split: ["train", "eval"][Int(random.next() % 2)])
                }
                try logger.close()
            case 5:
                let run = runs[Int(random.next() % UInt64(runs.count))]
                guard try store.details(of: run).run.status == .running else { continue }
                let checkpoints = try RunCheckpoints.open(store: store, run: run)
                _ = try checkpoints.save(Ckpt.at(step, ["val_loss": Double(random.next() % 100) / 100],
                                                 policy: CheckpointPolicy(monitor: "val_loss", mode: .min, topK: 2)))
            default:
                let index = Int(random.next() % UInt64(runs.count))
                if try store.details(of: runs[index]).run.status == .running {
                    runs[index] = try store.endRun(runs[index], status: [.finished, .failed, .killed][Int(random.next() % 3)])
                }
            }
            try store.flushIndexChanges()
            let check = try await store.checkIndex()
            #expect(check.differences.isEmpty, "after step \(step): \(check.differences)")
        }
        #expect(try await store.searchRuns(RunQuery()).runs.count == runs.count)
    }

    @Test(arguments: IndexBackend.all)
    func noticesWhatOtherWritersDid(backend: IndexBackend) async throws {
        let fixture = try StoreFixture(clock: ManualWallClock(Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)))
        let store = fixture.store
        try backend.use(in: store)
        let run = try store.createRun(.plain("vae/a"))
        let logger = MetricLogger(store: store, run: run)
        try logger.log("loss", 0.9, step: 1, split: "eval")
        try logger.close()
        _ = try await store.searchRuns(RunQuery())
        let filter = try RunFilter(parsing: "metrics.`eval/loss` < 0.5")
        #expect(try await store.searchRuns(RunQuery(filter: filter)).runs.isEmpty)

        // A script appends to the CSV: found by the next sweep, and by any search that returns the run.
        let csv = try store.metricsPath(of: run, split: "eval")
        let handle = try #require(FileHandle(forWritingAtPath: csv))
        handle.seekToEndOfFile()
        handle.write(Data("1790000001.000,2,,loss,0.25\n".utf8))
        try handle.close()
        (store.clock as! ManualWallClock).advance(seconds: Double(Store.sweepInterval) / 1000 + 1)
        #expect(try await store.searchRuns(RunQuery(filter: filter)).runs.map(\.facts.record.id) == [run.id])

        // tags.json edited in place: a search returning the run reads it again.
        try Disk.write("{\"team\": \"edited\"}\n", to: try store.runFilePath(run, .tags))
        #expect(try await store.searchRuns(RunQuery()).runs.first?.facts.tags == ["team": "edited"])

        // A run created by another process (another Store value): noticed at once.
        let other = try Store.open(at: store.root)
        try backend.use(in: other, sameAs: store)
        let second = try other.createRun(.plain("vae/b"))
        #expect(Set(try await store.searchRuns(RunQuery()).runs.map(\.facts.record.id)) == [run.id, second.id])

        // A run folder deleted by hand: left out.
        try FileManager.default.removeItem(atPath: second.absoluteFolder)
        #expect(try await store.searchRuns(RunQuery()).runs.map(\.facts.record.id) == [run.id])
    }

    @Test func rebuildsADamagedIndex() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        for i in 0..<5 { _ = try store.createRun(.plain("e", name: "r\(i)")) }
        _ = try await store.searchRuns(RunQuery())
        store.index.close()  // as when the process that wrote it ended: its write-ahead log is in the file
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: store.indexPath))
        let reopened = try Store.open(at: store.root)
        #expect(try await reopened.searchRuns(RunQuery()).runs.count == 5)
        let aside = try FileManager.default.contentsOfDirectory(atPath: store.root + "/.cairn").filter { $0.hasPrefix("index.sqlite.damaged-") }
        #expect(aside.count == 1)
        #expect(try await reopened.checkIndex().differences.isEmpty)
    }

    @Test func reindexRebuildsFromTheFiles() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        for i in 0..<40 { _ = try store.createRun(.plain(["a", "b"][i % 2], name: "r\(i)")) }
        let report = try await store.reindex()
        #expect(report.runs == 40 && report.experiments == 2)
        #expect(try await store.checkIndex().differences.isEmpty)
        try FileManager.default.removeItem(atPath: store.indexPath)
        #expect(try await Store.open(at: store.root).searchRuns(RunQuery(limit: 7)).runs.count == 7)
    }

    /// `reindex --database` fills a PostgreSQL database from the files; the store's id goes into
    /// cairn.yaml (format 1.1) and into the database, which then refuses another store.
    @Test(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
    func reindexFillsADatabaseThatThenRefusesAnotherStore() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        for i in 0..<12 { _ = try store.createRun(.plain(["a", "b"][i % 2], name: "r\(i)")) }
        let url = try #require(TestDatabase.freshURL())
        try store.useIndexDatabase(url, environment: [:])
        let report = try await store.reindex()
        #expect(report.runs == 12 && report.index.hasPrefix("postgresql://"))
        #expect(try await store.checkIndex().differences.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: store.indexPath))
        let written = try Store.open(at: store.root)
        #expect(written.settings.storeID != nil && written.settings.format == StoreFormat(major: 1, minor: 1))
        let filtered = try await written.searchRuns(RunQuery(filter: try RunFilter(parsing: "attributes.run_name LIKE 'r1%'")))
        #expect(Set(filtered.runs.compactMap(\.facts.record.name)) == ["r1", "r10", "r11"])

        let other = try StoreFixture()
        try other.store.useIndexDatabase(url, environment: [:])
        await #expect { _ = try await other.store.searchRuns(RunQuery()) } throws: {
            ($0 as? CairnError)?.kind == .conflict && "\($0)".contains("another store")
        }
    }
}

/// The index a store under test uses: its SQLite file, or a schema of its own on the PostgreSQL test cluster.
enum IndexBackend: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when scripts/test started its cluster (else
    /// `reindexFillsADatabaseThatThenRefusesAnotherStore` says why it is skipped).
    static var all: [IndexBackend] { TestDatabase.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// Puts `store`'s index in this backend (for PostgreSQL: the database `other` uses, else a new schema).
    func use(in store: Store, sameAs other: Store? = nil) throws {
        guard self == .postgres else { return }
        let url = try #require(other?.indexDatabaseURL ?? TestDatabase.freshURL())
        try store.useIndexDatabase(url, environment: [:])
    }
}
