import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Checkpoints: names follow the run's layout")
struct CheckpointLayoutNamingTests {
    private static let byLoss = CheckpointPolicy(monitor: "val_loss")

    @Test func cairnLayoutNamesEpochAndStepWithBestAndLastLinks() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(2, ["val_loss": 0.4], policy: Self.byLoss))
        let result = try ckpts.save(Ckpt.at(3, ["val_loss": 0.3], policy: Self.byLoss))
        try ckpts.save(Ckpt.at(4, ["val_loss": 0.35], policy: Self.byLoss))
        #expect(result.entry?.path == "checkpoints/epoch_0003-step_00000300.pt")
        let folder = f.runFolder + "/checkpoints"
        #expect(CkptCheck.isSymlink(folder + "/best.pt"))
        #expect(CkptCheck.linkTarget(folder + "/best.pt") == "epoch_0003-step_00000300.pt")
        #expect(CkptCheck.isSymlink(folder + "/last.pt"))
        #expect(CkptCheck.linkTarget(folder + "/last.pt") == "epoch_0004-step_00000400.pt")
        #expect(try Disk.text(folder + "/best.pt") == "epoch 3")
        let view = try f.view()
        #expect(view.pointerPaths == ["best": folder + "/best.pt", "last": folder + "/last.pt"])
        #expect(view.best?.epoch == 3 && view.last?.epoch == 4)
        try CkptCheck.pointersSound(view)
    }

    @Test func cairnLayoutNamesAnEpochAloneWithoutAStep() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let result = try ckpts.save(Ckpt.at(1, withStep: false))
        #expect(result.entry?.path == "checkpoints/epoch_0001.pt")
        #expect(Disk.tree(f.runFolder + "/checkpoints").sorted() == ["epoch_0001.pt", "last.pt"])
    }

    @Test func runDirsLayoutUsesSuperGradientsNames() throws {
        let f = try CheckpointFixture(layout: "run-dirs", experiment: "yolo_nas")
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(2, withStep: false, ["val_loss": 0.2], policy: Self.byLoss))
        let result = try ckpts.save(Ckpt.at(3, withStep: false, ["val_loss": 0.3], policy: Self.byLoss))
        #expect(result.entry?.path == "ckpt_epoch_3.pth")
        #expect(Disk.exists(f.runFolder + "/ckpt_epoch_2.pth"))
        #expect(CkptCheck.linkTarget(f.runFolder + "/ckpt_best.pth") == "ckpt_epoch_2.pth")
        #expect(CkptCheck.linkTarget(f.runFolder + "/ckpt_latest.pth") == "ckpt_epoch_3.pth")
        try CkptCheck.pointersSound(try f.view())
    }

    @Test func typedFoldersLayoutMakesModelTypeFoldersAndBestModel() throws {
        let f = try CheckpointFixture(layout: "typed-folders", experiment: "vision")
        #expect(f.run.folder == "checkpoints/vision")
        let ckpts = try f.open()
        let files = ["model.pth", "optimizer.pth", "scheduler.pth", "config.json", "training_info.json"]
        for (epoch, loss) in [(1, 0.9), (2, 0.4), (3, 0.6)] {
            let result = try ckpts.save(CheckpointSaveRequest(epoch: epoch, metrics: ["val_loss": loss],
                                                              source: Ckpt.folder(files, tag: "epoch \(epoch)"), policy: Self.byLoss))
            #expect(result.entry?.path == "vision_model_checkpoint_\(epoch)")
            #expect(result.entry?.kind == .folder)
        }
        for epoch in 1...3 {
            let folder = f.runFolder + "/vision_model_checkpoint_\(epoch)"
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == Set(files + ["README.md"]))
            #expect(try Disk.text(folder + "/README.md").hasPrefix("# Checkpoint: epoch \(epoch)"))
        }
        let best = f.runFolder + "/best_model"
        #expect(CkptCheck.linkTarget(best) == "vision_model_checkpoint_2")
        #expect(try Disk.text(best + "/model.pth") == "model.pth:epoch 2")
        // The layout names no last pointer.
        let view = try f.view()
        #expect(view.pointerPaths.keys.sorted() == ["best"])
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
    }

    @Test func modelTypeExperimentsLayoutUsesSeed004Names() throws {
        let f = try CheckpointFixture(layout: "model-type-experiments", experiment: "vae/baseline")
        let ckpts = try f.open()
        let policy = CheckpointPolicy(saveStrategy: .all, monitor: "val_loss")
        for (epoch, loss) in [(1, 0.5), (2, 0.3), (3, 0.4)] {
            try ckpts.save(Ckpt.at(epoch, withStep: false, ["val_loss": loss], policy: policy))
        }
        let folder = f.root + "/experiments/vae/baseline/checkpoints"
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder))
                == ["epoch_001.pt", "epoch_002.pt", "epoch_003.pt", "best_model.pt", "last_model.pt"])
        #expect(CkptCheck.linkTarget(folder + "/best_model.pt") == "epoch_002.pt")
        #expect(CkptCheck.linkTarget(folder + "/last_model.pt") == "epoch_003.pt")
        try CkptCheck.pointersSound(try f.view())
    }

    @Test func promptTreeLayoutFollowsTheBestScore() throws {
        let f = try CheckpointFixture(layout: "prompt-tree", experiment: "resnet18/baseline",
                                      layoutFields: ["train_prompt_id": "3", "val_prompt_id": "5"])
        #expect(f.run.folder == "checkpoints/resnet18/baseline/train-P3/val-P5")
        let ckpts = try f.open()
        let policy = CheckpointPolicy(monitor: "score", mode: .max)
        try ckpts.save(Ckpt.at(1, step: 120, ["score": 0.7], policy: policy))
        #expect(Disk.exists(f.runFolder + "/checkpoint_best_score_0.7000.pt"))
        try ckpts.save(Ckpt.at(2, step: 240, ["score": 0.831], policy: policy))
        try ckpts.save(Ckpt.at(3, step: 360, ["score": 0.8], policy: policy))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: f.runFolder).filter { $0.hasPrefix("checkpoint_") })
        #expect(names == ["checkpoint_1_120.pt", "checkpoint_2_240.pt", "checkpoint_3_360.pt",
                          "checkpoint_best.pt", "checkpoint_last.pt", "checkpoint_best_score_0.8310.pt"])
        #expect(CkptCheck.linkTarget(f.runFolder + "/checkpoint_best.pt") == "checkpoint_2_240.pt")
        #expect(CkptCheck.linkTarget(f.runFolder + "/checkpoint_last.pt") == "checkpoint_3_360.pt")
        #expect(CkptCheck.linkTarget(f.runFolder + "/checkpoint_best_score_0.8310.pt") == "checkpoint_2_240.pt")
        let view = try f.view()
        #expect(view.state.pointers["best_score"]?.path == "checkpoint_best_score_0.8310.pt")
        try CkptCheck.pointersSound(view)
    }
}
