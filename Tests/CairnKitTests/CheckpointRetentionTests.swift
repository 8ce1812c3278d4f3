import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Checkpoints: retention policies applied on disk")
struct CheckpointRetentionTests {
    /// The files in the cairn layout's checkpoints folder that are not pointers.
    private static func epochFiles(_ f: CheckpointFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: f.runFolder + "/checkpoints")
            .filter { $0.hasPrefix("epoch_") }.sorted()
    }

    private static func name(_ epoch: Int) -> String {
        "epoch_" + String(format: "%04d", epoch) + "-step_" + String(format: "%08d", epoch * 100) + ".pt"
    }

    @Test(arguments: [CheckpointPolicy.Mode.min, .max])
    func topKKeepsTheKBestAndTheLast(mode: CheckpointPolicy.Mode) throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let policy = CheckpointPolicy(monitor: "m", mode: mode, topK: 2)
        // Under min the values below rank epochs 4, 2 best; under max the negated values do the same.
        let values = [0.5, 0.3, 0.4, 0.2, 0.6].map { mode == .min ? $0 : -$0 }
        var pruned: [Int] = []
        for (i, value) in values.enumerated() {
            let result = try ckpts.save(Ckpt.at(i + 1, ["m": value], policy: policy))
            pruned += result.pruned.map(\.seq)
        }
        let view = try f.view()
        #expect(CkptCheck.keptEpochs(view) == [2, 4, 5])
        #expect(try Self.epochFiles(f) == [2, 4, 5].map(Self.name))
        #expect(Set(pruned) == [1, 3])
        #expect(CkptCheck.pointerEpochs(view) == ["best": 4, "last": 5])
        for seq in [1, 3] {
            guard case .pruned(let reason)? = view.state[seq: seq]?.status else {
                Issue.record("seq \(seq) is not pruned"); continue
            }
            #expect(reason.contains("top 2"), "\(reason)")
        }
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
    }

    @Test func keepLastKeepsTheNewest() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        for epoch in 1...5 { try ckpts.save(Ckpt.at(epoch, policy: CheckpointPolicy(keepLast: 2))) }
        let view = try f.view()
        #expect(CkptCheck.keptEpochs(view) == [4, 5])
        #expect(try Self.epochFiles(f) == [4, 5].map(Self.name))
        #expect(CkptCheck.pointerEpochs(view) == ["last": 5])
        #expect(!Disk.exists(f.runFolder + "/checkpoints/best.pt"))
        try CkptCheck.pointersSound(view)
    }

    @Test func keepEpochsKeepsTheListedEpochsLikeSeed001() throws {
        let f = try CheckpointFixture(layout: "run-dirs", experiment: "yolo_nas")
        let ckpts = try f.open()
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss", keepEpochs: [10, 15])
        for epoch in 1...20 {
            // Improves until epoch 12, then gets worse.
            let loss = 1.0 + abs(Double(epoch) - 12) / 10
            try ckpts.save(Ckpt.at(epoch, withStep: false, ["val_loss": loss], policy: policy))
        }
        let view = try f.view()
        #expect(CkptCheck.keptEpochs(view) == [10, 12, 15, 20])
        let names = try FileManager.default.contentsOfDirectory(atPath: f.runFolder).filter { $0.hasPrefix("ckpt_") }
        #expect(Set(names) == ["ckpt_epoch_10.pth", "ckpt_epoch_12.pth", "ckpt_epoch_15.pth", "ckpt_epoch_20.pth",
                               "ckpt_best.pth", "ckpt_latest.pth"])
        #expect(CkptCheck.linkTarget(f.runFolder + "/ckpt_best.pth") == "ckpt_epoch_12.pth")
        #expect(CkptCheck.linkTarget(f.runFolder + "/ckpt_latest.pth") == "ckpt_epoch_20.pth")
        #expect(view.state[seq: 15]?.decision == "kept: last; epoch 15 listed in keep_epochs")
        guard case .pruned(let reason)? = view.state[seq: 11]?.status else { Issue.record("epoch 11 is kept"); return }
        #expect(!reason.isEmpty)
        try CkptCheck.pointersSound(view)
    }

    @Test func saveStrategyBestKeepsTheBestAndTheLast() throws {
        let f = try CheckpointFixture(layout: "model-type-experiments", experiment: "vae/baseline")
        let ckpts = try f.open()
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss")
        for (epoch, loss) in [(1, 0.5), (2, 0.3), (3, 0.4), (4, 0.45)] {
            try ckpts.save(Ckpt.at(epoch, withStep: false, ["val_loss": loss], policy: policy))
        }
        let folder = f.runFolder + "/checkpoints"
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder))
                == ["epoch_002.pt", "epoch_004.pt", "best_model.pt", "last_model.pt"])
        #expect(CkptCheck.pointerEpochs(try f.view()) == ["best": 2, "last": 4])
        try CkptCheck.pointersSound(try f.view())
    }

    @Test func saveStrategyLastKeepsOnlyTheLast() throws {
        let f = try CheckpointFixture(layout: "model-type-experiments", experiment: "vae/baseline")
        let ckpts = try f.open()
        let policy = CheckpointPolicy(saveStrategy: .last, monitor: "val_loss")
        for (epoch, loss) in [(1, 0.5), (2, 0.3), (3, 0.4)] {
            try ckpts.save(Ckpt.at(epoch, withStep: false, ["val_loss": loss], policy: policy))
        }
        let folder = f.runFolder + "/checkpoints"
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == ["epoch_003.pt", "last_model.pt"])
        #expect(CkptCheck.pointerEpochs(try f.view()) == ["last": 3])
        try CkptCheck.pointersSound(try f.view())
    }

    @Test func saveStrategyAllKeepsEverything() throws {
        let f = try CheckpointFixture(layout: "model-type-experiments", experiment: "vae/baseline")
        let ckpts = try f.open()
        let policy = CheckpointPolicy(saveStrategy: .all, monitor: "val_loss")
        for (epoch, loss) in [(1, 0.5), (2, 0.3), (3, 0.4)] {
            let result = try ckpts.save(Ckpt.at(epoch, withStep: false, ["val_loss": loss], policy: policy))
            #expect(result.pruned.isEmpty)
        }
        #expect(CkptCheck.keptEpochs(try f.view()) == [1, 2, 3])
        #expect(CkptCheck.pointerEpochs(try f.view()) == ["best": 2, "last": 3])
    }

    @Test func everyNEpochsSkipsSavesWithoutWritingAnything() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let policy = CheckpointPolicy(everyNEpochs: 2)
        let before = Disk.tree(f.runFolder)
        let skipped = try ckpts.save(Ckpt.at(1, policy: policy))
        #expect(skipped.entry == nil)
        #expect(skipped.skippedBecause?.contains("every 2 epochs") == true)
        #expect(skipped.pruned.isEmpty)
        #expect(skipped.policy.everyNEpochs == 2)
        #expect(Disk.tree(f.runFolder) == before)
        #expect(try f.view().state.entries.isEmpty)

        let saved = try ckpts.save(Ckpt.at(2, policy: policy))
        #expect(saved.entry?.epoch == 2)
        let afterSave = Disk.tree(f.runFolder)
        #expect(try ckpts.save(Ckpt.at(3, policy: policy)).skippedBecause != nil)
        #expect(Disk.tree(f.runFolder) == afterSave)
        #expect(CkptCheck.keptEpochs(try f.view()) == [2])
    }

    @Test func callOverridesExperimentOverridesStore() throws {
        let f = try CheckpointFixture()
        // The store: keep the top 3 by val_loss.
        let yamlPath = f.root + "/cairn.yaml"
        let yaml = try Disk.text(yamlPath)
        #expect(yaml.contains("\ndefaults: {}\n"))
        try Disk.write(yaml.replacingOccurrences(of: "\ndefaults: {}\n", with: "\ndefaults:\n  checkpoint:\n    monitor: val_loss\n    top_k: 3\n"),
                       to: yamlPath)
        let store = try Store.open(at: f.root)
        #expect(try store.storeCheckpointPolicy() == CheckpointPolicy(monitor: "val_loss", topK: 3))
        var ckpts = try RunCheckpoints.open(store: store, run: f.run)
        for (epoch, loss) in [(1, 0.5), (2, 0.4), (3, 0.3), (4, 0.2)] {
            let result = try ckpts.save(Ckpt.at(epoch, ["val_loss": loss]))
            #expect(result.policy == CheckpointPolicy(monitor: "val_loss", topK: 3))
        }
        var view = try RunCheckpoints.view(store: store, run: f.run)
        #expect(CkptCheck.keptEpochs(view) == [2, 3, 4])
        #expect(view.state[seq: 4]?.policy == ["monitor": "val_loss", "top_k": 3])

        // The experiment: top 2 (the monitor still comes from the store).
        let experiment = try store.experiment(id: f.run.record.experimentID)
        try store.updateSettings(of: experiment, ["checkpoint.top_k=2"])
        ckpts = try RunCheckpoints.open(store: store, run: f.run)
        let five = try ckpts.save(Ckpt.at(5, ["val_loss": 0.1]))
        #expect(five.policy == CheckpointPolicy(monitor: "val_loss", topK: 2))
        view = try RunCheckpoints.view(store: store, run: f.run)
        #expect(CkptCheck.keptEpochs(view) == [4, 5])
        #expect(view.state[seq: 5]?.policy == ["monitor": "val_loss", "top_k": 2])

        // The call: top 1.
        let six = try ckpts.save(Ckpt.at(6, ["val_loss": 0.05], policy: CheckpointPolicy(topK: 1)))
        #expect(six.policy == CheckpointPolicy(monitor: "val_loss", topK: 1))
        view = try RunCheckpoints.view(store: store, run: f.run)
        #expect(CkptCheck.keptEpochs(view) == [6])
        #expect(view.state[seq: 6]?.policy == ["monitor": "val_loss", "top_k": 1])
        #expect(view.state[seq: 6]?.decision?.hasPrefix("kept") == true)
        #expect(try Self.epochFiles(f) == [Self.name(6)])
        try CkptCheck.pointersSound(view)
    }

    @Test func anInvalidResolvedPolicyIsRefusedBeforeWriting() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        Expect.error(.invalidConfig) { try ckpts.save(Ckpt.at(1, policy: CheckpointPolicy(topK: 2))) }
        #expect(try f.view().state.entries.isEmpty)
        #expect(f.temporaries.isEmpty)
    }
}
