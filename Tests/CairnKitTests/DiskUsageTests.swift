import CairnCore
import Foundation
import Glibc
import Testing
@testable import CairnKit

/// `Store.diskUsage`: run folders' bytes by kind, hard links counted once, deleted runs marked.
@Suite("disk usage")
struct DiskUsageTests {
    private static func write(_ count: Int, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 7, count: count).write(to: URL(fileURLWithPath: path))
    }

    /// The apparent size of every regular file under `root`, each (device, inode) once: an
    /// independent sum (FileManager and lstat, not the walk under test).
    private static func independentTotal(_ root: String) -> Int64 {
        var seen = Set<[UInt64]>()
        var total: Int64 = 0
        for relative in Disk.tree(root) where !relative.hasSuffix("/") {
            var info = stat()
            guard lstat(root + "/" + relative, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if seen.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted { total += Int64(info.st_size) }
        }
        return total
    }

    /// The files Cairn wrote at creation (run.json, params.json…): what `other` holds besides strays.
    private static func recordBytes(_ folder: String) throws -> Int64 {
        try ["run.json", "params.json", "tags.json", "config.yaml"].reduce(Int64(0)) { sum, name in
            sum + ((try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int64) ?? 0)
        }
    }

    @Test func bytesByKindWithLinksCountedOnce() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try store.createRun(try .plain("vae/a"))
        let folder = run.absoluteFolder
        try Self.write(1000, to: folder + "/checkpoints/epoch_0001.pt")
        #expect(link(folder + "/checkpoints/epoch_0001.pt", folder + "/checkpoints/last.pt") == 0)
        #expect(symlink("epoch_0001.pt", folder + "/checkpoints/best.pt") == 0)
        try Self.write(10, to: folder + "/checkpoints/epoch_0002/model.bin")
        try Self.write(11, to: folder + "/checkpoints/epoch_0002/optim/state.bin")
        try Self.write(40, to: folder + "/checkpoints.jsonl")
        try Self.write(200, to: folder + "/logs/training.log")
        try Self.write(300, to: folder + "/metrics/train/metrics.csv")
        try Self.write(50, to: folder + "/events/events.out.tfevents.1700000000.host.42.0")
        try Self.write(70, to: folder + "/artifacts/notes.txt")
        try Self.write(30, to: folder + "/artifacts.jsonl")
        try Self.write(20, to: folder + "/embeddings/val_embeddings.npy")
        try Self.write(5, to: folder + "/stray.txt")

        let other = try store.createRun(try .plain("vae/b"))
        try Self.write(4000, to: other.absoluteFolder + "/checkpoints/epoch_0001.pt")
        // A link from another run's checkpoint into this one: counted for the first run (by id) only.
        #expect(link(folder + "/checkpoints/epoch_0001.pt", other.absoluteFolder + "/checkpoints/epoch_0009.pt") == 0)
        let gone = try store.createRun(try .plain("vae/b"))
        try Self.write(500, to: gone.absoluteFolder + "/logs/training.log")
        try store.deleteRun(gone)

        let usage = try await store.diskUsage()
        let a = try #require(usage.runs.first { $0.id == run.id })
        #expect(a.bytes.checkpoints == 1000 + 21 + 40)
        #expect(a.bytes.logs == 200)
        #expect(a.bytes.metrics == 350)
        #expect(a.bytes.artifacts == 120)
        #expect(a.bytes.other == 5 + (try Self.recordBytes(folder)))
        #expect(a.experiment == "vae/a" && !a.deleted && a.folder == folder)
        let b = try #require(usage.runs.first { $0.id == other.id })
        #expect(b.bytes.checkpoints == 4000)
        let deleted = try #require(usage.runs.first { $0.id == gone.id })
        #expect(deleted.deleted && deleted.bytes.logs == 500)
        #expect(usage.deleted == deleted.bytes)

        #expect(usage.runs.map(\.id) == [other.id, run.id, gone.id] || usage.runs.map(\.id) == [other.id, gone.id, run.id])
        #expect(zip(usage.runs, usage.runs.dropFirst()).allSatisfy { $0.bytes.total >= $1.bytes.total })
        #expect(usage.experiments.map(\.name) == ["vae/b", "vae/a"])
        let bUsage = usage.experiments[0]
        #expect(bUsage.runs == 2 && bUsage.deletedRuns == 1 && bUsage.deletedBytes == deleted.bytes.total)
        #expect(usage.total.total == usage.runs.reduce(0) { $0 + $1.bytes.total })
        #expect(usage.total.total == Self.independentTotal(store.root + "/vae"))
        #expect(usage.unreadable.isEmpty)

        let one = try await store.diskUsage(experiments: [try store.experiment(named: try ExperimentName("vae/a"))])
        #expect(one.runs.map(\.id) == [run.id] && one.experiments.map(\.name) == ["vae/a"])
        #expect(one.total == a.bytes)
    }

    @Test func anEmptyStoreAndAnExperimentWithoutRuns() async throws {
        let fixture = try StoreFixture()
        #expect(try await fixture.store.diskUsage() == CairnAPI.DiskUsage(
            store: fixture.root, total: .init(), deleted: .init(), experiments: [], runs: [], unreadable: []))
        let experiment = try fixture.store.createExperiment(try ExperimentName("empty"))
        let usage = try await fixture.store.diskUsage()
        #expect(usage.experiments.map(\.name) == ["empty"] && usage.experiments[0].runs == 0 && usage.total.total == 0)
        #expect(try await fixture.store.diskUsage(experiments: [experiment]).experiments.count == 1)
    }
}
