import CairnCore
import CairnTestSupport
import Testing
@testable import CairnKit

/// Saves that give an epoch, a step or both, named by what they give; and the warning for a metric
/// that no policy monitors.
@Suite("Checkpoints: an epoch, a step or both")
struct CheckpointEpochOrStepTests {
    @Test func theDefaultLayoutNamesByTheFieldsGiven() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let both = try ckpts.save(CheckpointSaveRequest(epoch: 3, step: 300, source: Ckpt.file("both")))
        let epoch = try ckpts.save(CheckpointSaveRequest(epoch: 4, source: Ckpt.file("epoch")))
        let step = try ckpts.save(CheckpointSaveRequest(epoch: nil, step: 500, source: Ckpt.file("step"), policy: .init(saveStrategy: .all)))
        #expect(both.entry?.path == "checkpoints/epoch_0003-step_00000300.pt")
        #expect(epoch.entry?.path == "checkpoints/epoch_0004.pt")
        #expect(step.entry?.path == "checkpoints/step_00000500.pt")
        // A step-only save has no epoch (not epoch 0).
        #expect(step.entry != nil && step.entry?.epoch == nil && step.entry?.step == 500)
        #expect(epoch.entry?.step == nil)
        #expect(try Disk.text(f.runFolder + "/checkpoints/step_00000500.pt") == "step")
        #expect(CkptCheck.linkTarget(f.runFolder + "/checkpoints/last.pt") == "step_00000500.pt")
        try CkptCheck.pointersSound(try f.view())
    }

    @Test func aFolderCheckpointsReadmeSaysWhatWasGiven() throws {
        let f = try CheckpointFixture()
        let saved = try f.open().save(CheckpointSaveRequest(epoch: nil, step: 7, source: Ckpt.folder(["a.bin"], tag: "x")))
        let readme = try Disk.text(f.runFolder + "/" + saved.entry!.path + "/README.md")
        #expect(readme.hasPrefix("# Checkpoint: step 7\n"))
    }

    @Test func neitherAnEpochNorAStepIsRefusedBeforeAnythingIsWritten() throws {
        let f = try CheckpointFixture()
        let error = Expect.error(.invalidValue) { try f.open().save(CheckpointSaveRequest(epoch: nil, source: Ckpt.file("x"))) }
        #expect(error?.message.contains("neither an epoch nor a step") == true)
        #expect(error?.hint?.contains("--epoch") == true)
        #expect(!Disk.exists(f.runFolder + "/checkpoints") || Disk.tree(f.runFolder + "/checkpoints").isEmpty)
    }

    @Test func aLayoutThatNamesByEpochRefusesAStepAlone() throws {
        let f = try CheckpointFixture(layout: "run-dirs", experiment: "yolo_nas")
        let error = Expect.error(.invalidValue) { try f.open().save(CheckpointSaveRequest(epoch: nil, step: 5, source: Ckpt.file("x"))) }
        #expect(error?.message.contains("names checkpoints with an epoch") == true)
        #expect(error?.hint?.contains("--epoch") == true)
    }

    @Test func aLayoutThatNamesByEpochAndStepRefusesAnEpochAlone() throws {
        let f = try CheckpointFixture(layout: "lightning", experiment: "lit", layoutFields: ["version": "0"])
        let error = Expect.error(.invalidValue) { try f.open().save(CheckpointSaveRequest(epoch: 1, source: Ckpt.file("x"))) }
        #expect(error?.message.contains("names checkpoints with a step") == true)
        #expect(error?.hint?.contains("--step") == true)
    }

    @Test func oneUnmonitoredMetricWarnsOncePerRun() throws {
        let f = try CheckpointFixture()
        let logs = LogRecords()
        let store = try Store.open(at: f.root, logger: logs.logger)
        let ckpts = try RunCheckpoints.open(store: store, run: f.run)
        try ckpts.save(CheckpointSaveRequest(epoch: 1, metrics: ["val_loss": 0.3], source: Ckpt.file("1")))
        try ckpts.save(CheckpointSaveRequest(epoch: 2, metrics: ["val_loss": 0.2], source: Ckpt.file("2")))
        // Another process, the same run: still once.
        try RunCheckpoints.open(store: store, run: f.run).save(CheckpointSaveRequest(epoch: 3, metrics: ["val_loss": 0.1], source: Ckpt.file("3")))
        #expect(logs.warnings.count == 1)
        let message = try #require(logs.warnings.first?.message)
        #expect(message.contains("'val_loss'"))
        #expect(message.contains("--monitor val_loss --mode min"))
        #expect(message.contains("cairn exp set exp checkpoint.monitor=val_loss"))
        #expect(try store.tags(of: f.run)["cairn.warned.no_monitor"] == "val_loss")
        #expect(try f.view().best == nil)
    }

    @Test(arguments: [
        (["val_loss": 0.3, "acc": 0.9], CheckpointPolicy()),                    // two metrics: which one is unclear
        ([:], CheckpointPolicy()),                                               // no metric
        (["val_loss": 0.3], CheckpointPolicy(monitor: "val_loss")),              // monitored
        (["val_loss": 0.3], CheckpointPolicy(saveStrategy: .last)),              // keeps only the last: no best wanted
    ] as [([String: Double], CheckpointPolicy)])
    func otherwiseNoWarning(_ metrics: [String: Double], _ policy: CheckpointPolicy) throws {
        let f = try CheckpointFixture()
        let logs = LogRecords()
        let store = try Store.open(at: f.root, logger: logs.logger)
        try RunCheckpoints.open(store: store, run: f.run).save(CheckpointSaveRequest(epoch: 1, metrics: metrics, source: Ckpt.file("1"), policy: policy))
        #expect(logs.warnings.isEmpty, "\(logs.warnings.map(\.message))")
        #expect(try store.tags(of: f.run)["cairn.warned.no_monitor"] == nil)
    }

    @Test func aMetricThatGrowsBetterSuggestsMax() throws {
        let f = try CheckpointFixture()
        let logs = LogRecords()
        let store = try Store.open(at: f.root, logger: logs.logger)
        try RunCheckpoints.open(store: store, run: f.run).save(CheckpointSaveRequest(epoch: 1, metrics: ["val_acc": 0.8], source: Ckpt.file("1")))
        #expect(logs.warnings.first?.message.contains("--monitor val_acc --mode max") == true)
    }
}
