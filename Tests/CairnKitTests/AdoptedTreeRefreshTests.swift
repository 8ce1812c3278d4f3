import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Adopted trees keep living: run folders the training scripts make after adoption are registered the
/// next time the store is opened, and `adopt --refresh` reads the whole tree again.
@Suite("Adoption: living trees")
struct AdoptedTreeRefreshTests {
    /// A SuperGradients tree with one run, adopted in place.
    private func adoptedTree(_ directory: TemporaryDirectory) throws -> String {
        let tree = directory.appending("tree").path
        try Disk.write("w", to: tree + "/checkpoints/yolox/RUN_20240101_000000_000000/ckpt_epoch_1.pth")
        try Disk.write("best weights", to: tree + "/checkpoints/yolox/RUN_20240101_000000_000000/ckpt_best.pth")
        _ = try Store.adopt(AdoptRequest(tree: tree, layout: "run-dirs"))
        return tree
    }

    @Test func newRunFoldersAndExperimentsAppearWithoutAManualStep() throws {
        let directory = try TemporaryDirectory("cairn-refresh")
        let tree = try adoptedTree(directory)
        #expect(try Store.open(at: tree).runs().count == 1)

        try Disk.write("w", to: tree + "/checkpoints/yolox/RUN_20240202_000000_000000/ckpt_epoch_3.pth")
        try Disk.write("w", to: tree + "/checkpoints/ssd/RUN_20240303_000000_000000/ckpt_epoch_7.pth")
        let store = try Store.open(at: tree)
        let runs = try store.runs()
        #expect(Set(runs.map(\.run.folder)) == ["checkpoints/yolox/RUN_20240101_000000_000000", "checkpoints/yolox/RUN_20240202_000000_000000",
                                                "checkpoints/ssd/RUN_20240303_000000_000000"])
        let yolox = try store.experiment(named: try ExperimentName("yolox"))
        #expect(try store.latestRun(in: yolox)?.folder == "checkpoints/yolox/RUN_20240202_000000_000000")
        let ssd = try #require(try store.runs().first { $0.run.folder.hasPrefix("checkpoints/ssd/") }).run
        #expect(ssd.record.experiment == "ssd")
        let view = try RunCheckpoints.view(store: store, run: ssd)
        #expect(view.kept.map(\.path) == ["ckpt_epoch_7.pth"] && view.kept.first?.epoch == 7)
        // Nothing changed since: opening again registers nothing and rewrites nothing.
        let watched = try Disk.text(tree + "/.cairn/tree-folders")
        #expect(try Store.open(at: tree).refreshAdoptedTree().newRuns.isEmpty)
        #expect(try Disk.text(tree + "/.cairn/tree-folders") == watched)
    }

    @Test func aNewCheckpointOfAKnownRunIsListed() throws {
        let directory = try TemporaryDirectory("cairn-refresh")
        let tree = try adoptedTree(directory)
        try Disk.write("w", to: tree + "/checkpoints/yolox/RUN_20240101_000000_000000/ckpt_epoch_19.pth")
        let store = try Store.open(at: tree)
        let run = try #require(try store.runs().first).run
        let view = try RunCheckpoints.view(store: store, run: run)
        #expect(Set(view.kept.map(\.path)) == ["ckpt_epoch_1.pth", "ckpt_epoch_19.pth", "ckpt_best.pth"])
        #expect(view.latestComplete?.path == "ckpt_epoch_19.pth")
    }

    @Test func aNewCheckpointAfterTheManifestWasWrittenIsListedThenRecorded() throws {
        let directory = try TemporaryDirectory("cairn-refresh")
        let tree = try adoptedTree(directory)
        let store = try Store.open(at: tree)
        let run = try #require(try store.runs().first).run
        #expect(try RunCheckpoints.open(store: store, run: run).verify().problems.isEmpty)  // writes the manifest
        let manifest = try store.runFilePath(run, .checkpointManifest)
        #expect(Disk.exists(manifest))
        try Disk.write("w", to: tree + "/checkpoints/yolox/RUN_20240101_000000_000000/ckpt_epoch_19.pth")

        let view = try RunCheckpoints.view(store: store, run: run)
        #expect(Set(view.kept.map(\.path)) == ["ckpt_epoch_1.pth", "ckpt_epoch_19.pth", "ckpt_best.pth"])
        #expect(view.entry(pointer: "last")?.path == "ckpt_epoch_19.pth")
        let before = try Disk.text(manifest)
        #expect(!before.contains("ckpt_epoch_19.pth"))  // a reader writes nothing
        // The next writer records it, once.
        let checked = try RunCheckpoints.open(store: store, run: run).verify().checked
        #expect(checked == 3)
        let begins = try Disk.text(manifest).split(separator: "\n").filter { $0.contains("\"begin\"") && $0.contains("ckpt_epoch_19.pth") }
        #expect(begins.count == 1)
        #expect(try RunCheckpoints.open(store: store, run: run).verify().checked == 3)
    }

    @Test func refreshReadsTheWholeTreeOnDemand() throws {
        let directory = try TemporaryDirectory("cairn-refresh")
        let tree = directory.appending("tree").path
        let experiment = tree + "/checkpoints/yolox"
        try Disk.write("w", to: experiment + "/RUN_20240101_000000_000000/ckpt_epoch_1.pth")
        // A folder whose time does not show the change (copied with its old time, say): only a full
        // refresh finds the run in it. Whole seconds, so that setting the time again is exact.
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: experiment)
        _ = try Store.adopt(AdoptRequest(tree: tree, layout: "run-dirs"))
        try Disk.write("w", to: experiment + "/RUN_20240505_000000_000000/ckpt_epoch_2.pth")
        try FileManager.default.setAttributes([.modificationDate: time], ofItemAtPath: experiment)
        let store = try Store.open(at: tree)
        #expect(try store.runs().count == 1)
        let refresh = try store.refreshAdoptedTree(full: true)
        #expect(refresh.newRuns.count == 1 && refresh.newExperiments.isEmpty)
        #expect(try store.runs().count == 2)
    }

    @Test func aNativeStoreHasNothingToRefresh() throws {
        let fixture = try StoreFixture()
        let error = Expect.error(.conflict) { try fixture.store.refreshAdoptedTree(full: true) }
        #expect(error?.hint?.contains("cairn adopt") == true)
    }
}
