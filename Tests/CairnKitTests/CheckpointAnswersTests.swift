import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Checkpoints as Cairn answers them: one shape wherever they appear, selected by best, last, epoch or
/// step, and the sources a save takes.
@Suite struct CheckpointAnswersTests {
    static func saved(_ f: CheckpointFixture, epochs: ClosedRange<Int> = 1...3) throws {
        let ckpts = try f.open()
        for epoch in epochs {
            try ckpts.save(CheckpointSaveRequest(epoch: epoch, step: epoch * 10, metrics: ["val_loss": 1 / Double(epoch)],
                                                 source: .files([try f.source("e\(epoch).pt", String(repeating: "x", count: epoch))], .copy),
                                                 policy: CheckpointPolicy(monitor: "val_loss", topK: 2)))
        }
    }

    @Test func theSameCheckpointHasTheSameShapeEverywhere() throws {
        let f = try CheckpointFixture()
        try Self.saved(f)
        let view = try f.view()
        let best = try view.checkpoint(.pointer("best"))
        let last = try view.checkpoint(.pointer("last"))
        let listed = try #require(view.checkpoints().last)
        let latest = try f.store.latestCheckpoint(of: f.run)
        let byEpoch = try view.checkpoint(.epoch(3))
        let byStep = try view.checkpoint(.step(30))
        #expect([best, last, latest, byEpoch, byStep].allSatisfy { $0 == listed })
        #expect(listed.pointers == ["best", "last"])
        #expect(listed.pointerPaths["best"] == f.runFolder + "/checkpoints/best.pt")
        #expect(listed.path == f.runFolder + "/" + listed.relativePath && listed.run == f.run.id)
        let all = view.checkpoints(includingPruned: true)
        #expect(all.map(\.status) == ["pruned", "kept", "kept"])
        #expect(all[0].reason?.contains("top 2") == true && all[0].pointers.isEmpty)
    }

    @Test func selectingWhatIsNotThereSaysWhy() throws {
        let f = try CheckpointFixture()
        Expect.error(.notFound) { try f.view().checkpoint(.pointer("last")) }
        Expect.error(.notFound) { try f.store.latestCheckpoint(of: f.run) }
        try Self.saved(f)
        let pruned = Expect.error(.notFound) { try f.view().checkpoint(.epoch(1)) }
        #expect(pruned?.description.contains("no kept checkpoint at epoch 1") == true)
        Expect.error(.notFound) { try f.view().checkpoint(.step(11)) }
    }

    @Test func aFirstWordIsTheRunOnlyWhenItIsNoPathAndMoreFollow() throws {
        let f = try CheckpointFixture()
        let file = try f.source("a.pt", "abc")
        func split(_ words: [String]) -> String {
            let (run, paths) = CheckpointSource.runAndPaths(words)
            return "\(run) " + paths.joined(separator: " ")
        }
        let other = try f.source("b.pt", "b")
        #expect(split(["RUN", file]) == "RUN \(file)")
        #expect(split([file]) == "$CAIRN_RUN_ID \(file)")
        #expect(split([file, other]) == "$CAIRN_RUN_ID \(file) \(other)")
        #expect(split(["missing.pt"]) == "$CAIRN_RUN_ID missing.pt")
    }

    @Test func sourcesAreSizedFileByFileWithoutFollowingFolderLinks() throws {
        let f = try CheckpointFixture()
        let folder = f.scratch + "/model"
        try Disk.write(String(repeating: "a", count: 100), to: folder + "/weights.bin")
        try Disk.write(String(repeating: "b", count: 20), to: folder + "/nested/optim.bin")
        try FileManager.default.createSymbolicLink(atPath: folder + "/nested/loop", withDestinationPath: folder)
        let file = try f.source("one.pt", "12345")
        #expect(CheckpointSource.files(at: [folder], .copy).byteCount == 120)
        #expect(CheckpointSource.files(at: [folder, file], .copy).byteCount == 125)
        #expect(CheckpointSource.files(at: [f.scratch + "/none"], .copy).byteCount == 0)
        guard case .files(let paths, _) = CheckpointSource.files(at: ["rel.pt"], .move) else { Issue.record("files"); return }
        #expect(paths == [FileManager.default.currentDirectoryPath + "/rel.pt"])
    }
}
