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

@Suite("Checkpoints: resumed runs and recovery from interrupted saves")
struct CheckpointRecoveryTests {
    private static let byLoss = CheckpointPolicy(monitor: "val_loss")

    @Test func aResumedRunSupersedesTheStaleEpochs() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        for epoch in 1...6 {
            try ckpts.save(Ckpt.at(epoch, ["val_loss": 0.7 - 0.1 * Double(epoch)], policy: Self.byLoss, text: "first \(epoch)"))
        }
        #expect(try f.view().best?.epoch == 6)
        // The training restarts from epoch 3 and does worse this time.
        let four = try ckpts.save(Ckpt.at(4, ["val_loss": 0.5], policy: Self.byLoss, text: "second 4"))
        let five = try ckpts.save(Ckpt.at(5, ["val_loss": 0.45], policy: Self.byLoss, text: "second 5"))
        #expect(four.entry?.seq == 7 && five.entry?.seq == 8)
        #expect(four.entry?.replaces == 4)
        #expect(Set(four.pruned.map(\.seq)) == [5, 6])
        #expect(four.best?.epoch == 3)

        let view = try f.view()
        #expect(view.state[seq: 4]?.status == .replaced(bySeq: 7))
        for seq in [5, 6] {
            guard case .pruned(let reason)? = view.state[seq: seq]?.status else { Issue.record("seq \(seq) not pruned"); continue }
            #expect(reason.hasPrefix("superseded"), "\(reason)")
        }
        #expect(view.kept.map(\.seq) == [1, 2, 3, 7, 8])
        #expect(CkptCheck.keptEpochs(view) == [1, 2, 3, 4, 5])
        #expect(CkptCheck.pointerEpochs(view) == ["best": 3, "last": 5])
        #expect(view.best?.seq == 3 && view.last?.seq == 8)
        let folder = f.runFolder + "/checkpoints/"
        #expect(try Disk.text(folder + "epoch_0004-step_00000400.pt") == "second 4")
        #expect(try Disk.text(folder + "epoch_0005-step_00000500.pt") == "second 5")
        #expect(!Disk.exists(folder + "epoch_0006-step_00000600.pt"))
        #expect(try Disk.text(folder + "best.pt") == "first 3")
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
    }

    @Test func savingTheSamePathAgainReplacesIt() throws {
        let f = try CheckpointFixture(layout: "run-dirs", experiment: "exp")
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1, withStep: false, text: "one"))
        let again = try ckpts.save(Ckpt.at(1, withStep: false, text: "one again"))
        #expect(again.entry?.replaces == 1)
        let view = try f.view()
        #expect(view.state[seq: 1]?.status == .replaced(bySeq: 2))
        #expect(view.kept.map(\.seq) == [2])
        #expect(try Disk.text(f.runFolder + "/ckpt_epoch_1.pth") == "one again")
        #expect(try Disk.text(f.runFolder + "/ckpt_latest.pth") == "one again")
        try CkptCheck.pointersSound(view)
    }

    @Test func savingTheSameFolderPathAgainReplacesIt() throws {
        let f = try CheckpointFixture(layout: "typed-folders", experiment: "vision")
        let ckpts = try f.open()
        let policy = CheckpointPolicy(monitor: "val_loss")
        try ckpts.save(CheckpointSaveRequest(epoch: 1, metrics: ["val_loss": 0.3], source: Ckpt.folder(["model.pth"], tag: "a"), policy: policy))
        try ckpts.save(CheckpointSaveRequest(epoch: 1, metrics: ["val_loss": 0.2], source: Ckpt.folder(["model.pth"], tag: "b"), policy: policy))
        let view = try f.view()
        #expect(view.state[seq: 1]?.status == .replaced(bySeq: 2))
        #expect(try Disk.text(f.runFolder + "/vision_model_checkpoint_1/model.pth") == "model.pth:b")
        #expect(try Disk.text(f.runFolder + "/best_model/model.pth") == "model.pth:b")
        #expect(f.temporaries.isEmpty)
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
    }

    /// A reader of a folder checkpoint that is saved again at the same path always finds it.
    @Test func aFolderCheckpointSavedAgainIsNeverMissing() throws {
        let f = try CheckpointFixture(layout: "typed-folders", experiment: "vision")
        let ckpts = try f.open()
        try ckpts.save(CheckpointSaveRequest(epoch: 1, source: Ckpt.folder(["model.pth"], tag: "0")))
        let reader = FileReader(path: f.runFolder + "/vision_model_checkpoint_1/model.pth")
        Thread { reader.run() }.start()
        reader.waitUntilStarted()
        for i in 1...60 {
            try ckpts.save(CheckpointSaveRequest(epoch: 1, source: Ckpt.folder(["model.pth"], tag: "\(i)")))
        }
        let (reads, misses) = reader.stop()
        #expect(misses == 0, "the checkpoint was missing in \(misses) of \(reads) reads")
        #expect(try Disk.text(f.runFolder + "/vision_model_checkpoint_1/model.pth") == "model.pth:60")
        #expect(f.temporaries.isEmpty)
        #expect(try f.view().kept.map(\.seq) == [61])
    }

    @Test func openingAbortsAnInterruptedSaveAndCleansUp() throws {
        #expect(kill(999_999, 0) != 0, "pid 999999 exists on this machine")
        let f = try CheckpointFixture()
        do {
            let ckpts = try f.open()
            try ckpts.save(Ckpt.at(1, ["val_loss": 0.5], policy: Self.byLoss))
            try ckpts.save(Ckpt.at(2, ["val_loss": 0.4], policy: Self.byLoss))
            try ckpts.close()
        }
        let manifestPath = try f.manifestPath
        // A save that died after its begin: its file never got in place.
        let begin = ManifestEvent.Begin(seq: 3, path: "checkpoints/epoch_0003-step_00000300.pt", epoch: 3, step: 300,
                                        metrics: ["val_loss": 0.1], bytes: 7, sha256: String(repeating: "ab", count: 32),
                                        time: SystemWallClock().now())
        try ManifestFile(path: manifestPath).append([.begin(begin)])
        // Its temporary files, by a process that is gone, in the checkpoints folder and the run folder.
        let strays = [f.runFolder + "/checkpoints/.cairn-tmp-x-999999-abc", f.runFolder + "/.cairn-tmp-y-999999-def-old"]
        for stray in strays { try Disk.write("partial", to: stray) }
        // A live process's temporary file is left alone.
        let live = f.runFolder + "/checkpoints/.cairn-tmp-z-\(getpid())-ghi"
        try Disk.write("in flight", to: live)
        // And a torn half line at the end of the manifest.
        let handle = try #require(FileHandle(forWritingAtPath: manifestPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"event\":\"commit\",\"se".utf8))
        try handle.close()
        #expect(try f.view().tornTail)
        #expect(try f.view().state[seq: 3]?.status == .pending)

        let ckpts = try f.open()
        let view = try f.view()
        #expect(!view.tornTail)
        let text = try Disk.text(manifestPath)
        #expect(text.hasSuffix("\n"))
        #expect(!text.contains("\"se\n") && !text.hasSuffix("\"se"))
        let (events, torn) = try ManifestFile(path: manifestPath).read()
        #expect(!torn)
        #expect(!events.isEmpty)
        guard case .aborted? = view.state[seq: 3]?.status else {
            Issue.record("seq 3 is \(String(describing: view.state[seq: 3]?.status))"); return
        }
        for stray in strays { #expect(!Disk.exists(stray), "\(stray)") }
        #expect(Disk.exists(live))
        try FileManager.default.removeItem(atPath: live)
        #expect(f.temporaries.isEmpty)
        #expect(CkptCheck.keptEpochs(view) == [1, 2])
        #expect(CkptCheck.pointerEpochs(view) == ["best": 2, "last": 2])
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
        // The next save takes the next sequence number.
        #expect(try ckpts.save(Ckpt.at(3, ["val_loss": 0.3], policy: Self.byLoss)).entry?.seq == 4)
    }

    @Test func openingCommitsAnInterruptedSaveWhoseFileIsInPlace() throws {
        let f = try CheckpointFixture()
        do {
            let ckpts = try f.open()
            try ckpts.save(Ckpt.at(1, ["val_loss": 0.5], policy: Self.byLoss))
            try ckpts.save(Ckpt.at(2, ["val_loss": 0.4], policy: Self.byLoss))
        }
        // The save renamed its file into place and died before the commit.
        let relative = "checkpoints/epoch_0003-step_00000300.pt"
        let path = f.runFolder + "/" + relative
        try Disk.write("epoch 3 bytes", to: path)
        let begin = ManifestEvent.Begin(seq: 3, path: relative, epoch: 3, step: 300, metrics: ["val_loss": 0.3],
                                        bytes: 13, sha256: try CkptCheck.sha256sum(path), time: SystemWallClock().now())
        try ManifestFile(path: try f.manifestPath).append([.begin(begin)])

        let ckpts = try f.open()
        let view = try f.view()
        let entry = try #require(view.state[seq: 3])
        #expect(entry.status == .kept)
        #expect(entry.decision?.contains("recovered") == true)
        #expect(Disk.exists(path))
        // Best and last move to it, as the recorded policy says.
        #expect(CkptCheck.pointerEpochs(view) == ["best": 3, "last": 3])
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
    }

    @Test func openingAbortsAnInterruptedSaveWhoseFileIsWrong() throws {
        let f = try CheckpointFixture()
        do {
            let ckpts = try f.open()
            try ckpts.save(Ckpt.at(1, ["val_loss": 0.5], policy: Self.byLoss))
        }
        let relative = "checkpoints/epoch_0002-step_00000200.pt"
        try Disk.write("half writt", to: f.runFolder + "/" + relative)
        let begin = ManifestEvent.Begin(seq: 2, path: relative, epoch: 2, step: 200, metrics: ["val_loss": 0.3],
                                        bytes: 13, sha256: String(repeating: "0", count: 64), time: SystemWallClock().now())
        try ManifestFile(path: try f.manifestPath).append([.begin(begin)])
        let ckpts = try f.open()
        let view = try f.view()
        guard case .aborted? = view.state[seq: 2]?.status else { Issue.record("seq 2 not aborted"); return }
        #expect(CkptCheck.pointerEpochs(view) == ["best": 1, "last": 1])
        try CkptCheck.pointersSound(view)
        #expect(try ckpts.verify().problems.isEmpty)
    }

    @Test func openingFinishesARecordedPrune() throws {
        let f = try CheckpointFixture()
        do {
            let ckpts = try f.open()
            try ckpts.save(Ckpt.at(1, ["val_loss": 0.5], policy: Self.byLoss))
            try ckpts.save(Ckpt.at(2, ["val_loss": 0.4], policy: Self.byLoss))
        }
        // A prune recorded, but the process died before deleting the file.
        try ManifestFile(path: try f.manifestPath).append([.prune(.init(seq: 1, reason: "test", time: SystemWallClock().now()))])
        let path = f.runFolder + "/checkpoints/epoch_0001-step_00000100.pt"
        #expect(Disk.exists(path))
        _ = try f.open()
        #expect(!Disk.exists(path))
        try CkptCheck.pointersSound(try f.view())
    }
}
