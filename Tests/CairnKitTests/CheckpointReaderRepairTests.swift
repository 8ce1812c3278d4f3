#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Checkpoints: files deleted by hand, torn pointers and abandoned temporaries, as readers find them")
struct CheckpointReaderRepairTests {
    private static let policy = CheckpointPolicy(monitor: "val_loss", topK: 3)

    /// Saves epochs 1…3 with falling losses: epoch 3 is best and last.
    private static func threeSaves(_ f: CheckpointFixture) throws -> CheckpointView {
        let ckpts = try f.open()
        for (epoch, loss) in [(1, 0.5), (2, 0.4), (3, 0.3)] { try ckpts.save(Ckpt.at(epoch, ["val_loss": loss], policy: policy)) }
        return try f.view()
    }

    @Test func aDeletedCheckpointIsMissingAndNeverBestOrLast() throws {
        let f = try CheckpointFixture()
        let saved = try Self.threeSaves(f)
        let third = try #require(saved.best)
        try FileManager.default.removeItem(atPath: saved.absolutePath(third))

        // Without repair: shown missing, best and last answer with epoch 2, the stale links not given.
        let view = try f.view()
        #expect(view.missing == [third.seq])
        #expect(view.best?.epoch == 2 && view.last?.epoch == 2)
        #expect(view.checkpoints().map(\.status) == ["kept", "kept", "missing"])
        #expect(view.checkpoints().last?.pointers == [])
        #expect(view.pointerPaths.isEmpty)
        Expect.error(.notFound) { try view.checkpoint(.epoch(3)) }

        // A reader repairs the links, under the lock: they lead to epoch 2 now, and the manifest says so.
        let read = try RunCheckpoints.read(store: f.store, run: f.run)
        #expect(read.best?.epoch == 2 && read.last?.epoch == 2)
        #expect(read.state.pointers["best"]?.seq == read.best?.seq)
        let best = try #require(read.pointerPaths["best"])
        #expect(Paths.normalize(try #require(PointerWriter.resolve(best))) == read.absolutePath(try #require(read.best)))
        try CkptCheck.pointersSound(read)
        #expect(try read.checkpoint(.pointer("last")).path.hasSuffix("epoch_0002-step_00000200.pt"))

        // The next save ranks among the checkpoints that exist.
        try f.open().save(Ckpt.at(4, ["val_loss": 0.45], policy: Self.policy))
        let after = try f.view()
        #expect(after.best?.epoch == 2 && after.last?.epoch == 4)
        #expect(after.checkpoints().map(\.status) == ["kept", "kept", "missing", "kept"])
    }

    @Test func whenEveryCheckpointIsGoneBestIsAClearError() throws {
        let f = try CheckpointFixture()
        let saved = try Self.threeSaves(f)
        for entry in saved.kept { try FileManager.default.removeItem(atPath: saved.absolutePath(entry)) }
        let read = try RunCheckpoints.read(store: f.store, run: f.run)
        #expect(read.best == nil && read.last == nil)
        let error = Expect.error(.notFound) { try read.checkpoint(.pointer("best")) }
        #expect(error?.message.contains("is gone") == true, "\(String(describing: error))")
        // The stable names no longer dangle.
        for name in ["best", "last"] {
            let path = Paths.join(f.runFolder, try #require(saved.state.pointers[name]).path)
            var info = stat()
            #expect(lstat(path, &info) != 0, "\(name) still there")
        }
    }

    @Test func doctorFixRecordsMissingCheckpointsAsPrunedAndNeverDeletesOneThatComesBack() throws {
        let f = try CheckpointFixture()
        let saved = try Self.threeSaves(f)
        let third = try #require(saved.best)
        let path = saved.absolutePath(third)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.removeItem(atPath: path)

        let report = try f.store.doctor(fix: false)
        #expect(report.missingCheckpoints.map(\.seq) == [third.seq])
        #expect(report.pointers.map(\.pointer).sorted() == ["best", "last"])
        #expect(report.pointers.allSatisfy { $0.problem == "moved" && $0.checkpoint?.hasSuffix("epoch_0002-step_00000200.pt") == true })
        #expect(!report.healthy)

        let fixed = try f.store.doctor(fix: true)
        #expect(fixed.healthy && fixed.missingCheckpoints.allSatisfy(\.fixed) && fixed.pointers.allSatisfy(\.fixed))
        #expect(try f.store.doctor(fix: false).found == 0)
        let view = try f.view()
        #expect(view.missing.isEmpty && view.best?.epoch == 2)
        #expect(view.state[seq: third.seq]?.status == .pruned(reason: RunCheckpoints.missingPruneReason))

        // Restored from a backup afterwards, the file is left alone by recovery.
        try bytes.write(to: URL(fileURLWithPath: path))
        _ = try f.open()
        #expect(Disk.exists(path))
    }

    @Test func aTornPointerStateIsRepairedByTheFirstReader() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1, ["val_loss": 0.5], policy: Self.policy))
        try ckpts.save(Ckpt.at(2, ["val_loss": 0.4], policy: Self.policy))
        // As if the save of epoch 2 was killed after its best link was written, before the manifest said so.
        let manifest = try f.manifestPath
        var lines = try Disk.text(manifest).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let last = try #require(lines.lastIndex { $0.contains("\"event\":\"pointer\"") && $0.contains("\"name\":\"best\"") })
        lines.remove(at: last)
        try Disk.write(lines.joined(separator: "\n") + "\n", to: manifest)
        try? FileManager.default.removeItem(atPath: f.store.runMetaFolder(f.run.id) + "/checkpoints.state")

        let torn = try f.view()
        #expect(torn.best?.epoch == 1)  // the manifest's answer…
        #expect(torn.pointerPaths["best"] == nil)  // …and the link, which says otherwise, is not given
        let read = try RunCheckpoints.read(store: f.store, run: f.run)
        #expect(read.best?.epoch == 2)
        let best = try #require(read.pointerPaths["best"])
        #expect(Paths.normalize(try #require(PointerWriter.resolve(best))) == read.absolutePath(try #require(read.best)))
        #expect(try f.view().best?.epoch == 2, "the manifest records the repair")

        // A link moved by hand to another checkpoint is pointed back where the manifest says.
        let first = try #require(read.state.entries.first)
        try PointerWriter.point(best, to: read.absolutePath(first), isFolder: false)
        #expect(try f.view().pointerPaths["best"] == nil)
        let again = try RunCheckpoints.read(store: f.store, run: f.run)
        #expect(again.best?.epoch == 2 && again.pointerPaths["best"] == best)
        try CkptCheck.pointersSound(again)
    }

    @Test func doctorReportsATornPointerAndAPendingSaveAndFixRepairsThem() throws {
        let f = try CheckpointFixture()
        let saved = try Self.threeSaves(f)
        let best = try #require(saved.pointerPaths["best"])
        try PointerWriter.point(best, to: saved.absolutePath(try #require(saved.kept.first)), isFolder: false)
        let begin = ManifestEvent.Begin(seq: 9, path: "checkpoints/epoch_0009-step_00000900.pt", kind: .file, epoch: 9, step: 900,
                                        metrics: ["val_loss": 0.1], bytes: 5, sha256: String(repeating: "0", count: 64),
                                        files: nil, replaces: nil, time: SystemWallClock().now())
        try ManifestFile(path: try f.manifestPath).append([.begin(begin)])

        let report = try f.store.doctor(fix: false)
        #expect(report.pointers.map(\.problem) == ["misplaced"])
        #expect(report.pointers.first?.checkpoint == saved.absolutePath(try #require(saved.best)))
        #expect(report.pendingSaves.map(\.seq) == [9])
        #expect(report.remaining == 2)

        let fixed = try f.store.doctor(fix: true)
        #expect(fixed.healthy && fixed.pointers.allSatisfy(\.fixed) && fixed.pendingSaves.allSatisfy(\.fixed))
        let view = try f.view()
        #expect(view.state[seq: 9]?.status == .aborted(reason: "interrupted before the checkpoint was in place"))
        #expect(view.pointerPaths["best"] == best && view.best?.epoch == 3)
        #expect(try f.store.doctor(fix: false).found == 0)
    }

    @Test func readersRemoveTemporariesOfDeadProcessesOnly() throws {
        let f = try CheckpointFixture()
        _ = try Self.threeSaves(f)
        let folder = f.runFolder + "/checkpoints"
        let dead = folder + "/.cairn-tmp-epoch_0004-step_00000400.pt-999999-abc"
        let live = folder + "/.cairn-tmp-epoch_0005-step_00000500.pt-\(getpid())-def"
        let meta = f.store.runMetaFolder(f.run.id) + "/.cairn-tmp-checkpoints.state-999999-ghi"
        for path in [dead, live, meta] { try Disk.write(String(repeating: "x", count: 4096), to: path) }

        _ = try f.view()
        #expect(Disk.exists(dead), "a view without repair removes nothing")
        let read = try RunCheckpoints.read(store: f.store, run: f.run)
        #expect(read.kept.count == 3)
        #expect(!Disk.exists(dead) && !Disk.exists(meta))
        #expect(Disk.exists(live))
    }

    /// Root writes anywhere, whatever the modes: the test needs another user.
    @Test(.enabled(if: geteuid() != 0, "root writes anywhere"))
    func aReaderOnAStoreItCannotWriteAnswersFromTheManifest() throws {
        let f = try CheckpointFixture()
        let saved = try Self.threeSaves(f)
        try FileManager.default.removeItem(atPath: saved.absolutePath(try #require(saved.best)))
        chmod(f.runFolder + "/checkpoints", 0o555)
        defer { chmod(f.runFolder + "/checkpoints", 0o755) }
        chmod(f.root + "/.cairn", 0o555)
        defer { chmod(f.root + "/.cairn", 0o755) }
        let read = try RunCheckpoints.read(store: f.store, run: f.run)
        #expect(read.best?.epoch == 2 && read.pointerPaths.isEmpty)
    }
}
