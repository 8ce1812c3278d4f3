import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Checkpoints: saving files and folders, the manifest, verify")
struct CheckpointSaveTests {
    @Test func writerFileCheckpointRecordsBytesAndSHA256() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let result = try ckpts.save(CheckpointSaveRequest(epoch: 3, step: 300, metrics: ["val_loss": 0.25],
                                                          source: Ckpt.file("weights of epoch three")))
        let entry = try #require(result.entry)
        #expect(result.skippedBecause == nil)
        #expect(entry.path == "checkpoints/epoch_0003-step_00000300.pt")
        #expect(entry.kind == .file)
        #expect(entry.isKept)
        #expect(entry.files == nil)
        let path = f.runFolder + "/" + entry.path
        #expect(try Disk.text(path) == "weights of epoch three")
        #expect(entry.bytes == Int64("weights of epoch three".utf8.count))
        #expect(entry.sha256 == (try CkptCheck.sha256sum(path)))
        #expect(entry.metrics == ["val_loss": 0.25])
        // The manifest on disk says the same.
        let view = try f.view()
        #expect(view.kept == [entry])
        #expect(!view.tornTail)
        #expect(try Disk.text(try f.manifestPath).hasSuffix("\n"))
        #expect(f.temporaries.isEmpty)
        try ckpts.close()
    }

    @Test func writerFolderCheckpointGetsAGeneratedReadme() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let result = try ckpts.save(CheckpointSaveRequest(epoch: 1, step: 10, metrics: ["val_loss": 0.5],
                                                          source: Ckpt.folder(["model.pth", "optimizer.pth"], tag: "e1")))
        let entry = try #require(result.entry)
        #expect(entry.kind == .folder)
        #expect(entry.path == "checkpoints/epoch_0001-step_00000010")
        #expect(entry.files == ["README.md", "model.pth", "optimizer.pth"])
        let folder = f.runFolder + "/" + entry.path
        #expect(Disk.isDirectory(folder))
        let readme = try Disk.text(folder + "/README.md")
        #expect(readme.hasPrefix("# Checkpoint: epoch 1, step 10"))
        #expect(readme.contains("val_loss=0.5"))
        #expect(readme.contains("`model.pth`"))
        #expect(try Disk.text(folder + "/model.pth") == "model.pth:e1")
        let sizes = try ["README.md", "model.pth", "optimizer.pth"].map {
            try #require(try FileManager.default.attributesOfItem(atPath: folder + "/" + $0)[.size] as? Int)
        }
        #expect(entry.bytes == Int64(sizes.reduce(0, +)))
        #expect(entry.sha256 == (try CkptCheck.folderSHA256(folder, scratch: f.scratch)))
        #expect(f.temporaries.isEmpty)
    }

    @Test func oneFileByCopyMakesAFileCheckpointAndLeavesTheSource() throws {
        let f = try CheckpointFixture()
        let source = try f.source("model.pt", "copied bytes")
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 2, step: 20, source: .files([source], .copy))).entry)
        #expect(entry.kind == .file)
        #expect(entry.path == "checkpoints/epoch_0002-step_00000020.pt")
        let path = f.runFolder + "/" + entry.path
        #expect(try Disk.text(path) == "copied bytes")
        #expect(try Disk.text(source) == "copied bytes")
        #expect(CkptCheck.inode(path) != CkptCheck.inode(source))
        #expect(entry.sha256 == (try CkptCheck.sha256sum(source)))
        #expect(entry.bytes == 12)
    }

    @Test func oneFileByMoveRemovesTheSource() throws {
        let f = try CheckpointFixture()
        let source = try f.source("model.ckpt", "moved bytes")
        let expectedSHA = try CkptCheck.sha256sum(source)
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 2, step: 20, source: .files([source], .move))).entry)
        #expect(entry.path == "checkpoints/epoch_0002-step_00000020.ckpt")
        #expect(!Disk.exists(source))
        #expect(try Disk.text(f.runFolder + "/" + entry.path) == "moved bytes")
        #expect(entry.sha256 == expectedSHA)
    }

    @Test func oneFileByLinkSharesTheInodeAndKeepsTheSource() throws {
        let f = try CheckpointFixture()
        let source = try f.source("model.pt", "linked bytes")
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 4, step: 40, source: .files([source], .link))).entry)
        let path = f.runFolder + "/" + entry.path
        #expect(Disk.exists(source))
        #expect(CkptCheck.inode(path) == CkptCheck.inode(source))
        #expect(entry.sha256 == (try CkptCheck.sha256sum(path)))
    }

    @Test func severalFilesMakeAFolderCheckpoint() throws {
        let f = try CheckpointFixture()
        let model = try f.source("model.pth", "weights")
        let config = try f.source("config.json", "{\"lr\": 0.1}")
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 5, step: 50, source: .files([model, config], .copy))).entry)
        #expect(entry.kind == .folder)
        #expect(entry.path == "checkpoints/epoch_0005-step_00000050")
        #expect(entry.files == ["README.md", "config.json", "model.pth"])
        let folder = f.runFolder + "/" + entry.path
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == ["README.md", "config.json", "model.pth"])
        #expect(entry.sha256 == (try CkptCheck.folderSHA256(folder, scratch: f.scratch)))
        #expect(Disk.exists(model) && Disk.exists(config))
    }

    @Test func severalFilesByMoveRemoveTheSources() throws {
        let f = try CheckpointFixture()
        let model = try f.source("model.pth", "weights")
        let optimizer = try f.source("optimizer.pth", "adam")
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 5, step: 50, source: .files([model, optimizer], .move))).entry)
        #expect(!Disk.exists(model) && !Disk.exists(optimizer))
        #expect(try Disk.text(f.runFolder + "/" + entry.path + "/optimizer.pth") == "adam")
    }

    @Test func oneFolderKeepsItsOwnReadme() throws {
        let f = try CheckpointFixture()
        let source = f.scratch + "/ckpt"
        try Disk.write("mine", to: source + "/README.md")
        try Disk.write("weights", to: source + "/model.pth")
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 1, step: 1, source: .files([source], .link))).entry)
        #expect(entry.kind == .folder)
        #expect(entry.files == ["README.md", "model.pth"])
        let folder = f.runFolder + "/" + entry.path
        #expect(try Disk.text(folder + "/README.md") == "mine")
        #expect(CkptCheck.inode(folder + "/model.pth") == CkptCheck.inode(source + "/model.pth"))
        #expect(entry.sha256 == (try CkptCheck.folderSHA256(folder, scratch: f.scratch)))
    }

    @Test func oneFolderByMoveRemovesTheFolder() throws {
        let f = try CheckpointFixture()
        let source = f.scratch + "/ckpt"
        try Disk.write("weights", to: source + "/model.pth")
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 1, step: 1, source: .files([source], .move))).entry)
        #expect(!Disk.exists(source))
        #expect(entry.files == ["README.md", "model.pth"])
    }

    @Test func verifyFindsCorruptedAndMissingCheckpoints() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        for epoch in 1...3 { try ckpts.save(Ckpt.at(epoch, ["val_loss": 1.0 / Double(epoch)])) }
        let clean = try ckpts.verify()
        #expect(clean.checked == 3)
        #expect(clean.problems.isEmpty)
        #expect(try f.view().kept.allSatisfy { $0.verified == true })

        let kept = try f.view().kept
        let corrupted = f.runFolder + "/" + kept[0].path
        try Disk.write("flipped bits", to: corrupted)
        let afterCorruption = try ckpts.verify()
        #expect(afterCorruption.problems == [CheckpointProblem(seq: kept[0].seq, path: kept[0].path, kind: .mismatch,
                                                               found: try CkptCheck.sha256sum(corrupted))])
        #expect(try f.view().state[seq: kept[0].seq]?.verified == false)

        try FileManager.default.removeItem(atPath: f.runFolder + "/" + kept[1].path)
        let afterDeletion = try ckpts.verify()
        #expect(afterDeletion.checked == 3)
        #expect(afterDeletion.problems.map(\.kind) == [.mismatch, .missing])
        #expect(afterDeletion.problems.last == CheckpointProblem(seq: kept[1].seq, path: kept[1].path, kind: .missing, found: nil))
    }

    @Test func verifyChecksFolderCheckpointsFileByFile() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        let entry = try #require(try ckpts.save(CheckpointSaveRequest(epoch: 1, step: 1, source: Ckpt.folder(["a.bin", "b.bin"], tag: "x"))).entry)
        #expect(try ckpts.verify().problems.isEmpty)
        try Disk.write("tampered", to: f.runFolder + "/" + entry.path + "/b.bin")
        let problems = try ckpts.verify().problems
        #expect(problems.map(\.kind) == [.mismatch])
        #expect(problems.first?.found == (try CkptCheck.folderSHA256(f.runFolder + "/" + entry.path, scratch: f.scratch)))
    }
}
