import CairnCore
import Testing
import CairnTestSupport

/// Random runs (saves, resumes, odd metric values) against the planner's invariants.
@Suite struct CheckpointPlannerPropertyTests {
    typealias F = CheckpointFixtures

    static let policies: [CheckpointPolicy] = [
        .default,
        CheckpointPolicy(saveStrategy: .best, monitor: "val_loss"),
        CheckpointPolicy(saveStrategy: .last, monitor: "val_loss"),
        CheckpointPolicy(saveStrategy: .all, monitor: "val_loss", mode: .max),
        CheckpointPolicy(monitor: "val_loss", topK: 3),
        CheckpointPolicy(monitor: "val_loss", mode: .max, topK: 2, keepLast: 2),
        CheckpointPolicy(keepLast: 1),
        CheckpointPolicy(saveStrategy: .best, monitor: "val_loss", keepEpochs: [3, 7], keepPeriod: 4),
        CheckpointPolicy(saveStrategy: .last, keepStepPeriod: 200),
        CheckpointPolicy(monitor: "val_loss", topK: 1, keepPeriod: 2, keepStepPeriod: 300),
    ]

    /// A random run: mostly forward, sometimes resumed from an earlier point, with ties, NaN, infinities
    /// and missing values, sometimes without steps.
    static func randomRun(_ random: inout SeededGenerator) -> ManifestState {
        let withSteps = Bool.random(using: &random)
        var events: [ManifestEvent] = []
        var epoch = 0, step = 0
        let count = Int.random(in: 0...40, using: &random)
        for seq in (0..<count).map({ $0 + 1 }) {
            if Int.random(in: 0..<8, using: &random) == 0, epoch > 0 {
                epoch = Int.random(in: 0...epoch, using: &random)
                step = epoch * 100 + Int.random(in: 0..<100, using: &random)
            } else {
                if Bool.random(using: &random) || !withSteps { epoch += 1 }
                step = max(step + Int.random(in: 1...60, using: &random), epoch * 100)
            }
            var metrics: [String: Double] = [:]
            switch Int.random(in: 0..<12, using: &random) {
            case 0: metrics["val_loss"] = .nan
            case 1: metrics["val_loss"] = .infinity
            case 2: metrics["val_loss"] = -.infinity
            case 3: break
            default: metrics["val_loss"] = Double(Int.random(in: 0..<6, using: &random)) / 4  // ties
            }
            events += F.save(seq, epoch: epoch, step: withSteps ? step : nil, metrics: metrics)
            if Int.random(in: 0..<15, using: &random) == 0, seq > 1 {
                events.append(.prune(.init(seq: Int.random(in: 1..<seq, using: &random), reason: "earlier plan",
                                           time: F.time(seq))))
            }
        }
        return ManifestState(events: events)
    }

    /// A reference for the lineage: a kept entry is stale when a later kept entry is not after it.
    static func lineage(_ state: ManifestState) -> [CheckpointEntry] {
        let kept = state.entries.filter(\.isKept)
        return kept.enumerated().filter { i, entry in
            !kept[(i + 1)...].contains { later in !isBefore(entry, later) }
        }.map(\.element)
    }

    /// Known epochs order first, then steps; the same epoch (or step) with nothing to tell them apart is
    /// a save again; entries that cannot be placed (no epoch and no step to compare) are in order.
    static func isBefore(_ a: CheckpointEntry, _ b: CheckpointEntry) -> Bool {
        switch (a.epoch, b.epoch, a.step, b.step) {
        case let (x?, y?, _, _) where x != y: return x < y
        case let (_, _, x?, y?) where x != y: return x < y
        case let (x?, y?, _, _) where x == y: return false
        case let (_, _, x?, y?) where x == y: return false
        default: return true
        }
    }

    @Test(arguments: 0..<10)
    func invariants(policyIndex: Int) {
        let policy = Self.policies[policyIndex]
        var random = SeededGenerator(seed: 0xCA1B_0000 + UInt64(policyIndex))
        for _ in 0..<300 {
            let state = Self.randomRun(&random)
            check(state, policy)
        }
    }

    private func check(_ state: ManifestState, _ policy: CheckpointPolicy) {
        let plan = RetentionPlanner.plan(state, policy: policy)
        let lineage = Self.lineage(state)
        let kept = state.entries.filter(\.isKept)

        // Every committed, unpruned entry is decided exactly once; nothing else is.
        #expect(Set(plan.keep.keys).isDisjoint(with: plan.prune.keys))
        #expect(Set(plan.keep.keys).union(plan.prune.keys) == Set(kept.map(\.seq)))
        // Stale entries are pruned as superseded, lineage entries never are.
        let lineageSeqs = Set(lineage.map(\.seq))
        for entry in kept where !lineageSeqs.contains(entry.seq) {
            #expect(plan.prune[entry.seq]?.hasPrefix("superseded: ") == true)
        }
        for seq in lineageSeqs { #expect(plan.prune[seq]?.hasPrefix("superseded") != true) }

        // Last: the newest lineage entry, kept.
        #expect(plan.last == lineage.last?.seq)
        if let last = plan.last { #expect(plan.keep[last] != nil) }

        // Best: the true min/max of finite lineage values, the earliest of ties, kept.
        if let monitor = policy.monitor, policy.saveStrategy != .last {
            let finite = lineage.compactMap { e in e.metrics[monitor].flatMap { $0.isFinite ? (e.seq, $0) : nil } }
            let better: (Double, Double) -> Bool = policy.effectiveMode == .min ? { $0 < $1 } : { $0 > $1 }
            var expected: (seq: Int, value: Double)?
            for candidate in finite where expected == nil || better(candidate.1, expected!.value) {
                expected = (candidate.0, candidate.1)
            }
            #expect(plan.best == expected?.seq)
            if let best = plan.best { #expect(plan.keep[best]?.contains("best by") == true) }
        } else {
            #expect(plan.best == nil)
        }

        // Top-k keeps at most k.
        if let k = policy.topK {
            #expect(plan.keep.values.filter { $0.contains("top \(k) by") }.count <= k)
        }
        // keep_last keeps the k newest lineage entries.
        if let k = policy.keepLast {
            for entry in lineage.suffix(k) { #expect(plan.keep[entry.seq] != nil) }
        }
        // keep all keeps the whole lineage.
        if policy.saveStrategy == .all { #expect(Set(plan.keep.keys) == lineageSeqs) }
        if policy.saveStrategy == .last, policy.keepEpochs == nil, policy.keepPeriod == nil,
           policy.keepStepPeriod == nil, policy.keepLast == nil {
            #expect(plan.keep.count == (plan.last == nil ? 0 : 1))
        }

        // Idempotent: applying the prunes and planning again prunes nothing more and keeps the same.
        var after = state
        for seq in plan.prunedSeqs { after.apply(.prune(.init(seq: seq, reason: plan.prune[seq]!, time: F.time(0)))) }
        let again = RetentionPlanner.plan(after, policy: policy)
        #expect(again.prune.isEmpty)
        #expect(again.keep == plan.keep)
        #expect(again.best == plan.best)
        #expect(again.last == plan.last)
    }
}
