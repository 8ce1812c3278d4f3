import CairnCore
import CairnIndex
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// The index of an adopted tree, kept up to date through random operations: Cairn's own writes on
/// adopted runs (tags, params, metrics, checkpoints, ends) and a training script's (new run folders,
/// new checkpoint files, adopted again). It always equals a fresh read of the files: after Cairn's
/// writes at once, after a script's by the next sweep (the staleness bound for edits outside Cairn).
@Suite struct AdoptedIndexTests {
    @Test(arguments: [1, 2] as [UInt64])
    func keptIndexOfAnAdoptedTreeEqualsAFreshRead(seed: UInt64) async throws {
        let directory = try TemporaryDirectory("cairn-adopted-index")
        let tree = directory.appending("tree").path
        var random = SeededGenerator(seed: seed)
        var folders = 0
        func newRunFolder() throws {
            folders += 1
            let experiment = ["yolox", "ssd"][Int(random.next() % 2)]
            let folder = tree + "/checkpoints/\(experiment)/RUN_202401\(String(format: "%02d", folders % 28 + 1))_0000\(String(format: "%02d", folders))_000000"
            try Disk.write("weights", to: folder + "/ckpt_epoch_1.pth")
            if random.next() % 2 == 0 { try Disk.write("best", to: folder + "/ckpt_best.pth") }
        }
        try newRunFolder()
        _ = try Store.adopt(AdoptRequest(tree: tree, layout: "run-dirs"))
        var store = try Store.open(at: tree)
        _ = try await store.searchRuns(RunQuery())  // the first search creates the index
        for step in 0..<40 {
            let runs = try store.runs().map(\.run)
            let run = runs[Int(random.next() % UInt64(runs.count))]
            var outside = false
            switch random.next() % 8 {
            case 0:
                try store.setTags(["team": ["a", "b"][Int(random.next() % 2)], "step": "\(step)"], on: run)
            case 1:
                try? store.setParams(["extra\(step % 3)": "\(step)"], on: run)  // a param set twice to another value is refused: fine
            case 2:
                let logger = MetricLogger(store: store, run: run)
                for s in 0..<Int64(random.next() % 4 + 1) {
                    try logger.log("loss", Double(random.next() % 1000) / 1000, step: Int64(step) * 10 + s, split: ["train", "eval"][Int(random.next() % 2)])
                }
                try logger.close()
            case 3:
                guard try store.details(of: run).run.status == .running else { continue }
                _ = try RunCheckpoints.open(store: store, run: run).save(Ckpt.at(step + 2, ["val_loss": Double(random.next() % 100) / 100],
                                                                              policy: CheckpointPolicy(monitor: "val_loss", mode: .min, topK: 2)))
            case 4:
                guard try store.details(of: run).run.status == .running else { continue }
                _ = try store.endRun(run, status: [.finished, .failed][Int(random.next() % 2)])
            case 5:
                // The training script starts another run; the next opening of the store registers it.
                try newRunFolder()
                store = try Store.open(at: tree)
                outside = true
            case 6:
                // The training script writes another checkpoint file into a run folder.
                try Disk.write("w\(step)", to: run.absoluteFolder + "/ckpt_epoch_\(step + 2).pth")
                outside = true
            default:
                // `cairn adopt --refresh`: the whole tree read again.
                _ = try store.refreshAdoptedTree(full: true)
                outside = true
            }
            try store.flushIndexChanges()
            if outside { try await store.updateIndex(sweep: .now) }  // what the next due sweep does
            let check = try await store.checkIndex()
            #expect(check.differences.isEmpty, "after step \(step): \(check.differences)")
        }
        #expect(try await store.searchRuns(RunQuery()).runs.count == (try store.runs().count))
    }
}
