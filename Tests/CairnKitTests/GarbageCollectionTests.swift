import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("gc: checkpoints pruned, runs trashed")
struct GarbageCollectionTests {
    /// A run of `experiment` with checkpoints at epochs 1…`epochs` (val_loss lowest at epoch 2), ended
    /// with `status` unless nil (then RUNNING, owned by this process: alive).
    private func run(_ store: Store, _ experiment: String, epochs: Int = 5, status: RunStatus? = .finished) throws -> Run {
        let run = try store.createRun(try .plain(experiment))
        let checkpoints = try RunCheckpoints.open(store: store, run: run)
        for epoch in 1...epochs {
            _ = try checkpoints.save(Ckpt.at(epoch, ["val_loss": epoch == 2 ? 0.1 : Double(epoch)], text: String(repeating: "x", count: 100 * epoch)))
        }
        try checkpoints.close()
        guard let status else { return run }
        return try store.endRun(run, status: status)
    }

    private func view(_ store: Store, _ run: Run) throws -> CheckpointView { try RunCheckpoints.view(store: store, run: run) }

    @Test func theDefaultIsEachRunsOwnPolicy() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let kept = try run(store, "all")  // no policy: keep everything
        let ranked = try run(store, "ranked")
        try store.updateSettings(of: try store.experiment(named: try ExperimentName("ranked")),
                                 ["checkpoint.monitor=val_loss", "checkpoint.top_k=1", "checkpoint.keep_last=1"])
        let expected = try RunCheckpoints.open(store: store, run: ranked).prune(policy: .init(), dryRun: true)
        #expect(!expected.isEmpty)

        let plan = try store.collectGarbage(GarbageCollectionRequest(), dryRun: true)
        #expect(plan.runsExamined == 2)
        #expect(plan.deletedCheckpoints.map(\.seq) == expected.map(\.seq))
        #expect(plan.deletedCheckpoints.allSatisfy { $0.run == ranked.id })
        #expect(plan.bytesFreed == plan.deletedCheckpoints.reduce(0) { $0 + $1.bytes } && plan.bytesFreed > 0)
        #expect(plan.trashedRuns.isEmpty && plan.skippedRuns.isEmpty)

        let done = try store.collectGarbage(GarbageCollectionRequest(), dryRun: false)
        #expect(done.deletedCheckpoints == plan.deletedCheckpoints)
        #expect(done.bytesFreed == plan.bytesFreed)
        for checkpoint in done.deletedCheckpoints { #expect(!FileManager.default.fileExists(atPath: checkpoint.path)) }
        #expect(CkptCheck.keptEpochs(try view(store, ranked)) == [2, 5])
        #expect(CkptCheck.keptEpochs(try view(store, kept)) == [1, 2, 3, 4, 5])
        try CkptCheck.pointersSound(try view(store, ranked))
        // Done: a second gc has nothing left.
        #expect(try store.collectGarbage(GarbageCollectionRequest(), dryRun: false).deletedCheckpoints.isEmpty)
    }

    /// The words replace the run's retention rule; its monitor still ranks, so its best stays with its
    /// pointer (`last` alone keeps the best of a run that monitors a metric).
    @Test(arguments: [("last", true, [2, 5]), ("last2", true, [2, 4, 5]), ("best,last", true, [2, 5]), ("top2", true, [1, 2, 5]),
                      ("all", true, [1, 2, 3, 4, 5]), ("last", false, [5]), ("last2", false, [4, 5])])
    func keepWordsReplaceTheRetentionRule(_ words: String, _ monitored: Bool, _ epochs: [Int]) throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try run(store, "exp")
        if monitored {
            try store.updateSettings(of: try store.experiment(named: try ExperimentName("exp")), ["checkpoint.monitor=val_loss"])
        }
        let request = GarbageCollectionRequest(keep: try CheckpointPolicy(keeping: words), keepText: words)
        let done = try store.collectGarbage(request, dryRun: false)
        #expect(done.keep == words)
        let after = try view(store, run)
        #expect(CkptCheck.keptEpochs(after) == epochs, "\(words)")
        #expect(after.entry(pointer: "last")?.epoch == 5)
        if monitored && words != "all" { #expect(after.entry(pointer: "best")?.epoch == 2) }
        try CkptCheck.pointersSound(after)
    }

    @Test func keepingTheBestWithoutAMonitorSkipsTheRun() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try run(store, "exp")
        let done = try store.collectGarbage(GarbageCollectionRequest(keep: try CheckpointPolicy(keeping: "best")), dryRun: false)
        #expect(done.skippedRuns.map(\.run) == [run.id])
        #expect(done.skippedRuns.first?.reason.contains("monitor") == true, "\(done.skippedRuns)")
        #expect(CkptCheck.keptEpochs(try view(store, run)) == [1, 2, 3, 4, 5])
    }

    /// A monitor given only with the saves (`ckpt save --monitor`) ranks the checkpoints for --keep: the
    /// best stays, and so does the `best` pointer leading to it.
    @Test func theMonitorTheSavesRecordedRanksForKeep() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try store.createRun(try .plain("exp"))
        let checkpoints = try RunCheckpoints.open(store: store, run: run)
        for epoch in 1...5 {
            _ = try checkpoints.save(Ckpt.at(epoch, ["val_loss": epoch == 2 ? 0.1 : Double(epoch)], policy: CheckpointPolicy(monitor: "val_loss")))
        }
        try checkpoints.close()
        _ = try store.endRun(run, status: .finished)
        #expect(try view(store, run).entry(pointer: "best")?.epoch == 2)
        let done = try store.collectGarbage(GarbageCollectionRequest(keep: try CheckpointPolicy(keeping: "last")), dryRun: false)
        #expect(done.skippedRuns.isEmpty && done.deletedCheckpoints.map(\.seq).count == 3)
        let after = try view(store, run)
        #expect(CkptCheck.keptEpochs(after) == [2, 5])
        #expect(after.entry(pointer: "best")?.epoch == 2 && after.entry(pointer: "last")?.epoch == 5)
        try CkptCheck.pointersSound(after)
    }

    @Test(arguments: ["", "best,", "bogus", "top0", "last-1", "topx", "all,last"])
    func malformedKeepWordsAreRefused(_ words: String) {
        Expect.error(.invalidValue) { try CheckpointPolicy(keeping: words) }
    }

    @Test func statusAndAgeSelectRunsForTheTrash() throws {
        let clock = ManualWallClock(Timestamp(secondsSinceEpoch: 1_700_000_000))
        let fixture = try StoreFixture(clock: clock)
        let store = fixture.store
        let oldFailed = try run(store, "exp", epochs: 1, status: .failed)
        let oldFinished = try run(store, "exp", epochs: 1, status: .finished)
        clock.advance(seconds: 40 * 86_400)
        let newFailed = try run(store, "exp", epochs: 1, status: .failed)

        let none = try store.collectGarbage(GarbageCollectionRequest(), dryRun: true)
        #expect(none.trashedRuns.isEmpty)
        let failed = try store.collectGarbage(GarbageCollectionRequest(statuses: [.failed]), dryRun: true)
        #expect(Set(failed.trashedRuns.map(\.run)) == [oldFailed.id, newFailed.id])
        #expect(failed.bytesTrashed == failed.trashedRuns.reduce(0) { $0 + $1.bytes } && failed.bytesTrashed > 0)
        let old = try store.collectGarbage(GarbageCollectionRequest(olderThan: 30 * 86_400), dryRun: true)
        #expect(Set(old.trashedRuns.map(\.run)) == [oldFailed.id, oldFinished.id])
        let both = GarbageCollectionRequest(olderThan: 30 * 86_400, statuses: [.failed])
        #expect(try store.collectGarbage(both, dryRun: true).trashedRuns.map(\.run) == [oldFailed.id])

        let done = try store.collectGarbage(both, dryRun: false)
        #expect(done.trashedRuns.map(\.run) == [oldFailed.id] && done.trashedRuns[0].deletedAt != nil)
        #expect(try store.trash().runs.map(\.run) == [oldFailed.id])
        #expect(FileManager.default.fileExists(atPath: oldFailed.absoluteFolder))
        // A run in the trash is not looked at again.
        #expect(try store.collectGarbage(both, dryRun: false).runsExamined == 2)
    }

    @Test func aRunWhoseOwnerIsAliveIsSkippedUnlessForced() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let alive = try run(store, "exp", status: nil)
        let request = GarbageCollectionRequest(keep: try CheckpointPolicy(keeping: "last"), statuses: [.running])
        let skipped = try store.collectGarbage(request, dryRun: false)
        #expect(skipped.skippedRuns.map(\.run) == [alive.id] && skipped.skippedRuns[0].reason.contains("alive"))
        #expect(skipped.trashedRuns.isEmpty && skipped.deletedCheckpoints.isEmpty)
        #expect(try store.trash().runs.isEmpty)
        let pruneOnly = try store.collectGarbage(GarbageCollectionRequest(keep: try CheckpointPolicy(keeping: "last")), dryRun: false)
        #expect(pruneOnly.skippedRuns.map(\.run) == [alive.id] && pruneOnly.deletedCheckpoints.isEmpty)
        #expect(CkptCheck.keptEpochs(try view(store, alive)) == [1, 2, 3, 4, 5])

        var forced = GarbageCollectionRequest(keep: try CheckpointPolicy(keeping: "last"))
        forced.force = true
        #expect(try store.collectGarbage(forced, dryRun: false).deletedCheckpoints.count == 4)
        #expect(CkptCheck.keptEpochs(try view(store, alive)) == [5])
    }

    @Test func aDryRunChangesNothing() throws {
        let clock = ManualWallClock(Timestamp(secondsSinceEpoch: 1_700_000_000))
        let fixture = try StoreFixture(clock: clock)
        let store = fixture.store
        _ = try run(store, "exp", status: .failed)
        _ = try run(store, "exp")
        _ = try run(store, "exp", status: nil)
        clock.advance(seconds: 86_400)
        let before = StoreChecksum(store.root)
        let request = GarbageCollectionRequest(keep: try CheckpointPolicy(keeping: "last"), olderThan: 3600, statuses: [.failed])
        let plan = try store.collectGarbage(request, dryRun: true)
        #expect(plan.dryRun && plan.trashedRuns.count == 1 && plan.deletedCheckpoints.count == 4 && plan.skippedRuns.count == 1)
        var forced = request
        forced.force = true
        _ = try store.collectGarbage(forced, dryRun: true)
        _ = try store.collectGarbage(GarbageCollectionRequest(), dryRun: true)
        let after = StoreChecksum(store.root)
        #expect(after == before, "\(after.difference(from: before))")
    }
}
