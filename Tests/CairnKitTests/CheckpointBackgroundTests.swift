import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Checkpoints: background saves, the latest checkpoint, pruning on demand")
struct CheckpointBackgroundTests {
    private struct WriterFailed: Error {}

    private static func failing() -> CheckpointSaveRequest {
        CheckpointSaveRequest(epoch: 9, step: 900, source: .writer(folder: false, fileExtension: ".pt") { path in
            try Data("partial".utf8).write(to: URL(fileURLWithPath: path))
            throw WriterFailed()
        })
    }

    @Test func twoBackgroundSavesLandInOrder() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.saveInBackground(Ckpt.at(1, ["val_loss": 0.5]))
        try ckpts.saveInBackground(Ckpt.at(2, ["val_loss": 0.4]))
        try ckpts.close()
        #expect(ckpts.lastBackgroundResult?.entry?.epoch == 2)
        let view = try f.view()
        #expect(view.kept.map(\.seq) == [1, 2])
        #expect(CkptCheck.keptEpochs(view) == [1, 2])
        #expect(view.last?.epoch == 2)
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
        #expect(f.temporaries.isEmpty)
    }

    @Test func aFailedBackgroundSaveSurfacesAtTheNextSaveOnce() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1))
        try ckpts.saveInBackground(Self.failing())
        let error = Expect.error(.io) { try ckpts.save(Ckpt.at(2)) }
        #expect(error?.cause?.contains("WriterFailed") == true)
        // The save that reported it did not run; the next one does, and nothing is reported twice.
        #expect(CkptCheck.keptEpochs(try f.view()) == [1])
        try ckpts.save(Ckpt.at(2))
        try ckpts.close()
        #expect(CkptCheck.keptEpochs(try f.view()) == [1, 2])
        #expect(f.temporaries.isEmpty)
        #expect(try ckpts.verify().problems.isEmpty)
    }

    @Test func aFailedBackgroundSaveSurfacesAtTheNextBackgroundSave() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.saveInBackground(Self.failing())
        Expect.error(.io) { try ckpts.saveInBackground(Ckpt.at(1)) }
        #expect(ckpts.lastBackgroundResult == nil)
        try ckpts.saveInBackground(Ckpt.at(1))
        try ckpts.close()
        #expect(CkptCheck.keptEpochs(try f.view()) == [1])
        #expect(ckpts.lastBackgroundResult?.entry?.epoch == 1)
    }

    @Test func aFailedBackgroundSaveSurfacesAtClose() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1))
        try ckpts.saveInBackground(Self.failing())
        Expect.error(.io) { try ckpts.close() }
        try ckpts.close()
        #expect(CkptCheck.keptEpochs(try f.view()) == [1])
        #expect(f.temporaries.isEmpty)
        #expect(try ckpts.verify().problems.isEmpty)
        try CkptCheck.pointersSound(try f.view())
    }

    @Test func latestCheckpointSkipsNewerRunsWithoutOne() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let first = try store.createRun(try .plain("exp"))
        let second = try store.createRun(try .plain("exp"))
        let third = try store.createRun(try .plain("exp"))
        #expect(first.id < second.id && second.id < third.id)
        let a = try RunCheckpoints.open(store: store, run: first)
        try a.save(Ckpt.at(1))
        try a.save(Ckpt.at(2))
        let b = try RunCheckpoints.open(store: store, run: second)
        try b.save(Ckpt.at(1, text: "b1"))
        let b2 = try #require(try b.save(Ckpt.at(2, text: "b2")).entry)

        var latest = try store.latestCheckpoint(of: try store.experimentOrRun("exp"))
        #expect(latest.run == second.id)
        #expect(latest.seq == b2.seq)
        #expect(latest.path == second.absoluteFolder + "/" + b2.path)

        // A checkpoint cut short on disk is not complete: the one before it is the latest.
        try Disk.write("b", to: latest.path)
        latest = try store.latestCheckpoint(of: try store.experimentOrRun("exp"))
        #expect(latest.run == second.id)
        #expect(latest.epoch == 1)

        // By run id: that run's.
        let ofFirst = try store.latestCheckpoint(of: try store.experimentOrRun(first.id.value))
        #expect(ofFirst.run == first.id)
        #expect(ofFirst.epoch == 2)
        Expect.error(.notFound) { try store.latestCheckpoint(of: try store.experimentOrRun(third.id.value)) }
        _ = try store.createRun(try .plain("empty"))
        Expect.error(.notFound) { try store.latestCheckpoint(of: try store.experimentOrRun("empty")) }
    }

    @Test func pruneDryRunListsAndPruneDeletes() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        for (epoch, loss) in [(1, 0.5), (2, 0.2), (3, 0.4), (4, 0.3), (5, 0.6)] {
            try ckpts.save(Ckpt.at(epoch, ["val_loss": loss], policy: CheckpointPolicy(monitor: "val_loss")))
        }
        let manifest = try Disk.text(try f.manifestPath)
        let tree = Disk.tree(f.runFolder)
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 2)
        let planned = try ckpts.prune(policy: policy, dryRun: true)
        #expect(planned.map(\.seq) == [1, 3])
        #expect(planned.map(\.relativePath) == ["checkpoints/epoch_0001-step_00000100.pt", "checkpoints/epoch_0003-step_00000300.pt"])
        #expect(planned.allSatisfy { $0.reason.contains("top 2") })
        #expect(Disk.tree(f.runFolder) == tree)
        #expect(try Disk.text(try f.manifestPath) == manifest)

        let done = try ckpts.prune(policy: policy, dryRun: false)
        #expect(done.map(\.seq) == planned.map(\.seq))
        for item in done { #expect(!Disk.exists(item.path)) }
        let view = try f.view()
        #expect(CkptCheck.keptEpochs(view) == [2, 4, 5])
        for seq in [1, 3] {
            guard case .pruned? = view.state[seq: seq]?.status else { Issue.record("seq \(seq) not pruned"); continue }
        }
        let events = try ManifestFile(path: try f.manifestPath).read().events
        let prunes = events.compactMap { event -> Int? in if case .prune(let p) = event { return p.seq } else { return nil } }
        #expect(prunes == [1, 3])
        try CkptCheck.pointersSound(view)
        // Again: nothing more to prune.
        #expect(try ckpts.prune(policy: policy, dryRun: false).isEmpty)
        #expect(try ckpts.verify().problems.isEmpty)
    }
}
