import CairnCore
import Testing

@Suite struct CheckpointManifestStateTests {
    typealias F = CheckpointFixtures

    @Test func foldsTheLifeOfASave() {
        let policy: ConfigMapping = ["save_strategy": "best", "monitor": "val_loss"]
        var state = ManifestState()
        #expect(state.nextSeq == 1)
        state.apply(.begin(.init(seq: 1, path: "checkpoints/epoch_1", kind: .folder, epoch: 1, step: 10,
                                 metrics: ["val_loss": 0.5], bytes: 42, sha256: "ab", files: ["a.bin", "b/c.json"],
                                 time: F.time(1))))
        #expect(state[seq: 1]?.status == .pending)
        #expect(state.nextSeq == 2)
        state.apply(.commit(.init(seq: 1, policy: policy, decision: "kept: best", time: F.time(2))))
        let entry = state[seq: 1]
        #expect(entry?.status == .kept)
        #expect(entry?.isKept == true)
        #expect(entry?.committedAt == F.time(2))
        #expect(entry?.decision == "kept: best")
        #expect(entry?.policy == policy)
        #expect(entry?.files == ["a.bin", "b/c.json"])
        #expect(entry?.kind == .folder)
        state.apply(.verify(.init(seq: 1, sha256: "ab", ok: true, time: F.time(3))))
        #expect(state[seq: 1]?.verified == true)
        state.apply(.pointer(.init(name: "best", seq: 1, path: "checkpoints/best", mechanism: "symlink",
                                   time: F.time(3))))
        #expect(state.pointers["best"]?.seq == 1)
        #expect(state.pointers["best"]?.mechanism == "symlink")
        state.apply(.prune(.init(seq: 1, reason: "not the best", time: F.time(4))))
        #expect(state[seq: 1]?.status == .pruned(reason: "not the best"))
        // A second prune keeps the first reason; a late commit does not revive it.
        state.apply(.prune(.init(seq: 1, reason: "again", time: F.time(5))))
        state.apply(.commit(.init(seq: 1, time: F.time(5))))
        #expect(state[seq: 1]?.status == .pruned(reason: "not the best"))
    }

    @Test func abortAndPending() {
        var events = F.save(1, epoch: 1)
        events.append(.begin(.init(seq: 2, path: "x", epoch: 2, bytes: 0, sha256: "", time: F.time(2))))
        events.append(.begin(.init(seq: 3, path: "y", epoch: 3, bytes: 0, sha256: "", time: F.time(3))))
        events.append(.abort(.init(seq: 3, reason: "disk full", time: F.time(3))))
        events.append(.commit(.init(seq: 3, time: F.time(4))))
        let state = ManifestState(events: events)
        #expect(state.entries.map(\.status) == [.kept, .pending, .aborted(reason: "disk full")])
        #expect(state.nextSeq == 4)
    }

    @Test func replacedOnCommitOfTheReplacingSave() {
        var events = F.save(1, epoch: 1)
        events.append(.begin(.init(seq: 2, path: "checkpoints/1.pt", epoch: 2, bytes: 0, sha256: "", replaces: 1,
                                   time: F.time(2))))
        var state = ManifestState(events: events)
        #expect(state[seq: 1]?.status == .kept)
        state.apply(.commit(.init(seq: 2, time: F.time(3))))
        #expect(state[seq: 1]?.status == .replaced(bySeq: 2))
        #expect(state[seq: 2]?.status == .kept)
    }

    @Test func oddEventsAreIgnored() {
        var events = F.save(5, epoch: 1)
        events += [
            .commit(.init(seq: 9, time: F.time(9))),
            .prune(.init(seq: 9, reason: "?", time: F.time(9))),
            .abort(.init(seq: 9, reason: "?", time: F.time(9))),
            .verify(.init(seq: 9, sha256: "", ok: false, time: F.time(9))),
            // A duplicate begin does not replace the first.
            .begin(.init(seq: 5, path: "other", epoch: 7, bytes: 0, sha256: "", time: F.time(9))),
        ]
        let state = ManifestState(events: events)
        #expect(state.entries.count == 1)
        #expect(state[seq: 5]?.path == "checkpoints/5.pt")
        #expect(state.nextSeq == 6)
    }

    @Test func entriesStayInSequenceOrder() {
        let events = F.save(3, epoch: 3) + F.save(1, epoch: 1) + F.save(2, epoch: 2)
        let state = ManifestState(events: events)
        #expect(state.entries.map(\.seq) == [1, 2, 3])
        #expect(state[seq: 2]?.epoch == 2)
        #expect(state.nextSeq == 4)
    }

    @Test func nanMetricsCompareEqual() {
        let a = ManifestState(events: F.save(1, epoch: 1, metrics: ["loss": .nan]))
        let b = ManifestState(events: F.save(1, epoch: 1, metrics: ["loss": .nan]))
        #expect(a == b)
    }
}
