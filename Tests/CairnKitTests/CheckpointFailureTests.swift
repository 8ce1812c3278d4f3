import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Checkpoints: best and last stay sound; failed saves change nothing")
struct CheckpointFailureTests {
    private static let byLoss = CheckpointPolicy(monitor: "val_loss")

    /// Two good checkpoints (epochs 1, 2), best 2.
    private static func twoSaved(_ f: CheckpointFixture) throws -> RunCheckpoints {
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1, ["val_loss": 0.5], policy: byLoss))
        try ckpts.save(Ckpt.at(2, ["val_loss": 0.4], policy: byLoss))
        return ckpts
    }

    /// Earlier checkpoints still verify, the pointers are sound, no temporary file is left, and
    /// the run folder and manifest are as they were.
    private static func unchanged(_ f: CheckpointFixture, _ ckpts: RunCheckpoints, tree: [String], manifest: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(Disk.tree(f.runFolder) == tree, sourceLocation: sourceLocation)
        #expect(try Disk.text(try f.manifestPath) == manifest, sourceLocation: sourceLocation)
        #expect(f.temporaries.isEmpty, "\(f.temporaries)", sourceLocation: sourceLocation)
        try CkptCheck.pointersSound(try f.view(), sourceLocation: sourceLocation)
        let verified = try ckpts.verify()
        #expect(verified.checked == 2 && verified.problems.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func bestNeverPointsAtANaNMetric() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.twoSaved(f)
        let nan = try ckpts.save(Ckpt.at(3, ["val_loss": .nan], policy: Self.byLoss, allowNonFinite: true))
        #expect(nan.entry?.isKept == true)
        #expect(nan.entry?.metrics["val_loss"]?.isNaN == true)
        #expect(nan.best?.epoch == 2)
        #expect(nan.last?.epoch == 3)
        try ckpts.save(Ckpt.at(4, ["val_loss": -.infinity], policy: Self.byLoss, allowNonFinite: true))
        let view = try f.view()
        #expect(CkptCheck.pointerEpochs(view) == ["best": 2, "last": 4])
        #expect(CkptCheck.linkTarget(f.runFolder + "/checkpoints/best.pt") == "epoch_0002-step_00000200.pt")
        try CkptCheck.pointersSound(view)
        // Under top_k, a NaN checkpoint is never among the best, so it goes once it is not the last.
        let topK = CheckpointPolicy(monitor: "val_loss", topK: 1)
        try ckpts.save(Ckpt.at(5, ["val_loss": .nan], policy: topK, allowNonFinite: true))
        try ckpts.save(Ckpt.at(6, ["val_loss": 0.45], policy: topK))
        let after = try f.view()
        #expect(CkptCheck.keptEpochs(after) == [2, 6])
        #expect(CkptCheck.pointerEpochs(after) == ["best": 2, "last": 6])
        try CkptCheck.pointersSound(after)
    }

    @Test func aNaNMetricWithoutPermissionThrowsAndWritesNothing() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.twoSaved(f)
        let tree = Disk.tree(f.runFolder), manifest = try Disk.text(try f.manifestPath)
        let error = Expect.error(.invalidValue) { try ckpts.save(Ckpt.at(3, ["val_loss": .nan], policy: Self.byLoss)) }
        #expect(error?.message.contains("val_loss") == true)
        Expect.error(.invalidValue) { try ckpts.save(Ckpt.at(3, ["other": .infinity], policy: Self.byLoss)) }
        try Self.unchanged(f, ckpts, tree: tree, manifest: manifest)
    }

    @Test func aMissingMonitoredMetricThrows() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.twoSaved(f)
        let tree = Disk.tree(f.runFolder), manifest = try Disk.text(try f.manifestPath)
        let error = Expect.error(.invalidValue) { try ckpts.save(Ckpt.at(3, ["train_loss": 0.1], policy: Self.byLoss)) }
        #expect(error?.message.contains("val_loss") == true)
        #expect(error?.message.contains("train_loss") == true)
        try Self.unchanged(f, ckpts, tree: tree, manifest: manifest)
    }

    @Test func aMissingSourceFileThrowsNotFound() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.twoSaved(f)
        let tree = Disk.tree(f.runFolder), manifest = try Disk.text(try f.manifestPath)
        let missing = f.scratch + "/nope.pt"
        for transfer in CheckpointSource.Transfer.allCases {
            let request = CheckpointSaveRequest(epoch: 3, step: 300, metrics: ["val_loss": 0.1],
                                                source: .files([missing], transfer), policy: Self.byLoss)
            let error = Expect.error(.notFound) { try ckpts.save(request) }
            #expect(error?.message.contains("nope.pt") == true)
        }
        // One missing among several: nothing of the others is taken.
        let present = try f.source("model.pth", "weights")
        let several = CheckpointSaveRequest(epoch: 3, step: 300, metrics: ["val_loss": 0.1],
                                            source: .files([present, missing], .move), policy: Self.byLoss)
        Expect.error(.notFound) { try ckpts.save(several) }
        #expect(Disk.exists(present))
        try Self.unchanged(f, ckpts, tree: tree, manifest: manifest)
    }

    @Test func aFailingWriterLeavesNoTemporary() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.twoSaved(f)
        let tree = Disk.tree(f.runFolder), manifest = try Disk.text(try f.manifestPath)
        struct Boom: Error {}
        for folder in [false, true] {
            let source = CheckpointSource.writer(folder: folder, fileExtension: ".pt") { path in
                if folder { try Data("half".utf8).write(to: URL(fileURLWithPath: path + "/model.pth")) }
                else { try Data("half".utf8).write(to: URL(fileURLWithPath: path)) }
                throw Boom()
            }
            let error = Expect.error(.io) {
                try ckpts.save(CheckpointSaveRequest(epoch: 3, step: 300, metrics: ["val_loss": 0.1], source: source, policy: Self.byLoss))
            }
            #expect(error?.cause?.contains("Boom") == true)
        }
        // A writer that writes nothing.
        let nothing = CheckpointSource.writer(folder: false, fileExtension: ".pt") { _ in }
        Expect.error(.invalidValue) {
            try ckpts.save(CheckpointSaveRequest(epoch: 3, step: 300, metrics: ["val_loss": 0.1], source: nothing, policy: Self.byLoss))
        }
        try Self.unchanged(f, ckpts, tree: tree, manifest: manifest)
    }

    @Test func negativeEpochsAndStepsAreRefused() throws {
        let f = try CheckpointFixture()
        let ckpts = try Self.twoSaved(f)
        let tree = Disk.tree(f.runFolder), manifest = try Disk.text(try f.manifestPath)
        Expect.error(.invalidValue) { try ckpts.save(Ckpt.at(-1, ["val_loss": 0.1], policy: Self.byLoss)) }
        Expect.error(.invalidValue) { try ckpts.save(Ckpt.at(3, step: -5, ["val_loss": 0.1], policy: Self.byLoss)) }
        try Self.unchanged(f, ckpts, tree: tree, manifest: manifest)
    }
}
