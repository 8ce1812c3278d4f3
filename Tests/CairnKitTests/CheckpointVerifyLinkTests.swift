import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// `ckpt verify` never says "all match" while a link leads nowhere, and refuses while a migration is
/// unfinished.
@Suite("Checkpoints: verify sees links")
struct CheckpointVerifyLinkTests {
    @Test func aCairnPointerLeftDanglingIsPutBack() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1, policy: .init(saveStrategy: .all)))
        try ckpts.save(Ckpt.at(2, policy: .init(saveStrategy: .all)))
        let last = f.runFolder + "/checkpoints/last.pt"
        try FileManager.default.removeItem(atPath: last)
        try FileManager.default.createSymbolicLink(atPath: last, withDestinationPath: "epoch_0009.pt")
        #expect(try ckpts.verify().problems.isEmpty)
        #expect(CkptCheck.linkTarget(last) == "epoch_0002-step_00000200.pt")
    }

    @Test func aCheckpointThatIsALinkToNothingIsMissing() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let saved = try #require(try ckpts.save(Ckpt.at(1)).entry)
        let path = f.runFolder + "/" + saved.path
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "gone.pt")
        let problems = try ckpts.verify().problems
        #expect(problems.contains(CheckpointProblem(seq: saved.seq, path: saved.path, kind: .missing, found: nil)))
    }

    @Test func anAdoptedTreesPointerThatLeadsNowhereIsDangling() throws {
        let directory = try TemporaryDirectory("cairn-verify-dangling")
        let run = directory.appending("tree").path + "/checkpoints/resnet18/baseline/train-P1/val-P2"
        try Disk.write("weights", to: run + "/checkpoint_1_100.pt")
        try FileManager.default.createSymbolicLink(atPath: run + "/checkpoint_best.pt", withDestinationPath: "checkpoint_9_900.pt")
        try FileManager.default.createSymbolicLink(atPath: run + "/notes-link", withDestinationPath: "nowhere")
        _ = try Store.adopt(AdoptRequest(tree: directory.appending("tree").path, layout: "prompt-tree"))
        let store = try Store.open(at: directory.appending("tree").path)
        let summary = try #require(try store.runs().first)
        let problems = try RunCheckpoints.open(store: store, run: summary.run).verify().problems
        // The pointer is reported; a stray link no role names is not.
        #expect(problems == [CheckpointProblem(seq: nil, path: "checkpoint_best.pt", kind: .dangling, found: nil)])
    }

    @Test func anAdoptedPointerFileWithACheckpointsBytesIsThatCheckpoint() throws {
        let directory = try TemporaryDirectory("cairn-verify-copy")
        let root = directory.appending("tree").path
        let run = root + "/checkpoints/resnet18/baseline/train-P1/val-P2"
        try Disk.write("weights 1", to: run + "/checkpoint_1_100.pt")
        try Disk.write("weights 2", to: run + "/checkpoint_2_200.pt")
        try Disk.write("weights 1", to: run + "/checkpoint_best.pt")   // a copy, as torch.save of the best model writes it
        _ = try Store.adopt(AdoptRequest(tree: root, layout: "prompt-tree"))
        let store = try Store.open(at: root)
        let found = try #require(try store.runs().first?.run)
        // Before any hashing the pointer file is a checkpoint of its own, of unknown epoch.
        #expect(try RunCheckpoints.view(store: store, run: found).kept.count == 3)
        #expect(try RunCheckpoints.view(store: store, run: found).entry(pointer: "best")?.epoch == nil)
        let checked = try RunCheckpoints.open(store: store, run: found).verify()
        #expect(checked.problems.isEmpty)
        let view = try RunCheckpoints.view(store: try Store.open(at: root), run: found)
        #expect(view.kept.map(\.path).sorted() == ["checkpoint_1_100.pt", "checkpoint_2_200.pt"])
        #expect(view.entry(pointer: "best")?.path == "checkpoint_1_100.pt")
        #expect(view.entry(pointer: "best")?.epoch == 1)
        // The tree's file stays, a second read changes nothing, and the store is healthy.
        #expect(Disk.exists(run + "/checkpoint_best.pt"))
        _ = try RunCheckpoints.open(store: try Store.open(at: root), run: found).verify()
        #expect(Disk.exists(run + "/checkpoint_best.pt"))
        #expect(try Store.open(at: root).doctor(fix: false).healthy)
    }

    @Test func verifyRefusesDuringAnUnfinishedMigration() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1))
        try Disk.write("{}", to: f.store.migrationJournalPath)
        let manifest = try Disk.text(try f.manifestPath)
        let error = Expect.error(.busy) { try ckpts.verify() }
        #expect(error?.hint?.contains("cairn migrate --resume") == true)
        #expect(try Disk.text(try f.manifestPath) == manifest)
    }
}
