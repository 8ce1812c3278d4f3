import CairnCore
import Testing

@Suite struct CheckpointPlannerTests {
    typealias F = CheckpointFixtures

    private func kept(_ plan: RetentionPlan) -> [Int] { plan.keptSeqs }
    private func pruned(_ plan: RetentionPlan) -> [Int] { plan.prunedSeqs }

    @Test func emptyManifest() {
        let plan = RetentionPlanner.plan(ManifestState(), policy: .default)
        #expect(plan == RetentionPlan())
    }

    @Test func defaultKeepsEverything() {
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.4, 0.6]), policy: .default)
        #expect(kept(plan) == [1, 2, 3])
        #expect(plan.prune.isEmpty)
        #expect(plan.best == nil)
        #expect(plan.last == 3)
        #expect(plan.keep[1] == "save_strategy all")
        #expect(plan.keep[3] == "last; save_strategy all")
    }

    @Test func strategyAllWithMonitorNamesTheBest() {
        let policy = CheckpointPolicy(saveStrategy: .all, monitor: "val_loss")
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.4, 0.6]), policy: policy)
        #expect(kept(plan) == [1, 2, 3])
        #expect(plan.best == 2)
        #expect(plan.keep[2] == "best by val_loss (min); save_strategy all")
    }

    @Test func strategyLastKeepsOnlyTheLast() {
        let policy = CheckpointPolicy(saveStrategy: .last, monitor: "val_loss")
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.1, 0.6]), policy: policy)
        #expect(kept(plan) == [3])
        #expect(plan.best == nil)
        #expect(plan.last == 3)
        #expect(plan.keep[3] == "last")
        #expect(plan.prune[2] == "save_strategy last keeps only the last")
    }

    @Test func strategyBestKeepsBestAndLast() {
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss")
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.2, 0.6, 0.3]), policy: policy)
        #expect(kept(plan) == [2, 4])
        #expect(plan.best == 2)
        #expect(plan.keep[2] == "best by val_loss (min)")
        #expect(plan.keep[4] == "last")
        #expect(plan.prune[1] == "not the best by val_loss (min)")
    }

    @Test func bestThatIsAlsoLastNamesBothRules() {
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss")
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.4, 0.3]), policy: policy)
        #expect(kept(plan) == [3])
        #expect(plan.keep[3] == "best by val_loss (min); last")
    }

    @Test func topKWithTiesKeepsTheEarliest() {
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 2)
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.3, 0.3, 0.4, 0.3, 0.9]), policy: policy)
        #expect(kept(plan) == [2, 3, 6])
        #expect(plan.best == 2)
        #expect(plan.keep[2] == "best by val_loss (min); top 2 by val_loss (min)")
        #expect(plan.keep[3] == "top 2 by val_loss (min)")
        #expect(plan.keep[6] == "last")
        #expect(plan.prune[5] == "not among the top 2 by val_loss (min)")
    }

    @Test func equalLaterValueDoesNotReplaceTheBest() {
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss")
        let plan = RetentionPlanner.plan(F.epochs([0.3, 0.3, 0.3, 0.5]), policy: policy)
        #expect(plan.best == 1)
        #expect(kept(plan) == [1, 4])
    }

    @Test func topKLargerThanTheRunKeepsAll() {
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 10)
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.3, 0.4]), policy: policy)
        #expect(kept(plan) == [1, 2, 3])
    }

    @Test func keepLast() {
        let policy = CheckpointPolicy(keepLast: 2)
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.3, 0.4, 0.6]), policy: policy)
        #expect(kept(plan) == [3, 4])
        #expect(plan.best == nil)
        #expect(plan.keep[3] == "among the last 2 saves")
        #expect(plan.keep[4] == "last; among the last 2 saves")
        #expect(plan.prune[1] == "not among the last 2 saves")
    }

    @Test func topKAndKeepLastTogether() {
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 1, keepLast: 2)
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.1, 0.4, 0.6, 0.7]), policy: policy)
        #expect(kept(plan) == [2, 4, 5])
        #expect(plan.prune[1] == "not among the top 1 by val_loss (min); not among the last 2 saves")
    }

    @Test func keepEpochsFromSeed001() {
        // super-gradients keeps ckpt_epoch_10 and ckpt_epoch_15 besides best and latest.
        let losses: [Double?] = (1...20).map { 1.0 / Double($0) + ($0 == 12 ? -1 : 0) }
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss", keepEpochs: [10, 15])
        let plan = RetentionPlanner.plan(F.epochs(losses), policy: policy)
        #expect(kept(plan) == [10, 12, 15, 20])
        #expect(plan.best == 12)
        #expect(plan.keep[10] == "epoch 10 listed in keep_epochs")
        #expect(plan.keep[15] == "epoch 15 listed in keep_epochs")
    }

    @Test func keepEpochsStillApplyUnderStrategyLast() {
        let policy = CheckpointPolicy(saveStrategy: .last, keepEpochs: [2, 99])
        let plan = RetentionPlanner.plan(F.epochs([0.5, 0.4, 0.3, 0.2]), policy: policy)
        #expect(kept(plan) == [2, 4])
    }

    @Test func keepEpochsTakesTheNewestSaveOfTheEpoch() {
        let state = F.state([(1, 100, 0.5), (2, 200, 0.4), (2, 300, 0.3), (3, 400, 0.2)])
        let plan = RetentionPlanner.plan(state, policy: CheckpointPolicy(saveStrategy: .last, keepEpochs: [2]))
        #expect(kept(plan) == [3, 4])
    }

    @Test func keepPeriod() {
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 1, keepPeriod: 5)
        let losses: [Double?] = (1...12).map { Double($0) }
        let plan = RetentionPlanner.plan(F.epochs(losses), policy: policy)
        #expect(kept(plan) == [1, 5, 10, 12])
        #expect(plan.keep[5] == "epoch divisible by keep_period 5")
    }

    @Test func keepStepPeriod() {
        let saves = (1...10).map { (epoch: ($0 - 1) / 4, step: $0 * 250, loss: Optional(Double($0))) }
        let policy = CheckpointPolicy(saveStrategy: .last, keepStepPeriod: 1000)
        let plan = RetentionPlanner.plan(F.state(saves), policy: policy)
        #expect(kept(plan) == [4, 8, 10])
        #expect(plan.keep[8] == "step divisible by keep_step_period 1000")
    }

    @Test func nonFiniteValuesAreNeverBest() {
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 2)
        let plan = RetentionPlanner.plan(F.epochs([.nan, -.infinity, 0.7, .infinity, 0.9, .nan]), policy: policy)
        #expect(plan.best == 3)
        #expect(kept(plan) == [3, 5, 6])
        #expect(plan.prune[1] == "not among the top 2 by val_loss (min) (val_loss is nan)")
        #expect(plan.prune[2] == "not among the top 2 by val_loss (min) (val_loss is -inf)")
        #expect(plan.prune[4] == "not among the top 2 by val_loss (min) (val_loss is inf)")

        let max = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss", mode: .max)
        let maxPlan = RetentionPlanner.plan(F.epochs([.infinity, 0.7, 0.9, .nan]), policy: max)
        #expect(maxPlan.best == 3)
    }

    @Test func missingMetric() {
        let policy = CheckpointPolicy(saveStrategy: .best, monitor: "val_loss")
        let plan = RetentionPlanner.plan(F.epochs([nil, 0.8, nil, 0.9, nil]), policy: policy)
        #expect(plan.best == 2)
        #expect(kept(plan) == [2, 5])
        #expect(plan.prune[1] == "not the best by val_loss (min) (val_loss is missing)")

        let none = RetentionPlanner.plan(F.epochs([nil, nil]), policy: policy)
        #expect(none.best == nil)
        #expect(kept(none) == [2])
    }

    @Test func modeMax() {
        let policy = CheckpointPolicy(monitor: "val_acc", mode: .max, topK: 2)
        let plan = RetentionPlanner.plan(F.state([(1, nil, 0.6), (2, nil, 0.8), (3, nil, 0.7), (4, nil, 0.8),
                                                  (5, nil, 0.5)], metric: "val_acc"), policy: policy)
        #expect(plan.best == 2)
        #expect(kept(plan) == [2, 4, 5])
        #expect(plan.keep[2] == "best by val_acc (max); top 2 by val_acc (max)")
    }

    @Test func resumedRunStaleEntriesWithBetterMetricsAreSuperseded() {
        // Epochs 1–4 were saved, the run crashed and resumed from epoch 2, then saved epochs 3 and 4 again.
        // The stale epochs 3 and 4 had better metrics; they must neither stay best nor evict the true best.
        let state = F.state([(1, nil, 0.9), (2, nil, 0.5), (3, nil, 0.1), (4, nil, 0.05),
                             (3, nil, 0.4), (4, nil, 0.3)])
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 2)
        let plan = RetentionPlanner.plan(state, policy: policy)
        #expect(plan.best == 6)
        #expect(kept(plan) == [5, 6])
        #expect(plan.prune[3] == "superseded: the run resumed and saved epoch 3 again (seq 5)")
        #expect(plan.prune[4] == "superseded: the run resumed and saved epoch 3 again (seq 5)")
        #expect(plan.prune[1] == "not among the top 2 by val_loss (min)")
        #expect(plan.last == 6)

        // Stale entries count for no rule: keep_last and keep_epochs skip them too.
        let other = RetentionPlanner.plan(state, policy: CheckpointPolicy(keepLast: 3, keepEpochs: [4]))
        #expect(kept(other) == [2, 5, 6])
        // Even "keep all" drops them: their files belong to a timeline that no longer exists.
        #expect(kept(RetentionPlanner.plan(state, policy: .default)) == [1, 2, 5, 6])
    }

    @Test func resumedRunWithSteps() {
        let state = F.state([(1, 100, 0.9), (1, 200, 0.5), (2, 300, 0.2), (1, 150, 0.6), (1, 200, 0.55)])
        let plan = RetentionPlanner.plan(state, policy: CheckpointPolicy(saveStrategy: .best, monitor: "val_loss"))
        #expect(plan.prune[2] == "superseded: the run resumed and saved epoch 1 step 150 again (seq 4)")
        #expect(plan.prune[3] == plan.prune[2])
        #expect(plan.best == 5)
        #expect(kept(plan) == [5])
        #expect(plan.prune[1] == "not the best by val_loss (min)")
        #expect(plan.prune[4] == "not the best by val_loss (min)")
    }

    @Test func resumedAtTheSameEpochWithoutSteps() {
        let state = F.state([(1, nil, 0.9), (2, nil, 0.1), (2, nil, 0.5)])
        let plan = RetentionPlanner.plan(state, policy: .default)
        #expect(kept(plan) == [1, 3])
        #expect(plan.prune[2] == "superseded: the run resumed and saved epoch 2 again (seq 3)")
        // A save without a step equals any step of its epoch.
        let mixed = F.state([(2, 100, 0.9), (2, nil, 0.5), (2, 50, 0.4)])
        #expect(kept(RetentionPlanner.plan(mixed, policy: .default)) == [3])
    }

    @Test func prunedEntriesStayPruned() {
        var state = F.epochs([0.5, 0.1, 0.4, 0.6])
        state.apply(.prune(.init(seq: 2, reason: "by hand", time: F.time(9))))
        let plan = RetentionPlanner.plan(state, policy: CheckpointPolicy(saveStrategy: .best, monitor: "val_loss"))
        #expect(plan.best == 3)
        #expect(kept(plan) == [3, 4])
        #expect(plan.prune[2] == nil)
        #expect(plan.keep[2] == nil)
    }

    @Test func onlyCommittedEntriesCount() {
        var events: [ManifestEvent] = F.save(1, epoch: 1, metrics: ["val_loss": 0.5])
        events.append(.begin(.init(seq: 2, path: "p2", epoch: 2, metrics: ["val_loss": 0.1], bytes: 1, sha256: "",
                                   time: F.time(2))))
        events.append(.begin(.init(seq: 3, path: "p3", epoch: 3, metrics: ["val_loss": 0.05], bytes: 1, sha256: "",
                                   time: F.time(3))))
        events.append(.abort(.init(seq: 3, reason: "disk full", time: F.time(3))))
        let state = ManifestState(events: events)
        let plan = RetentionPlanner.plan(state, policy: CheckpointPolicy(saveStrategy: .best, monitor: "val_loss"))
        #expect(plan == RetentionPlan(keep: [1: "best by val_loss (min); last"], best: 1, last: 1))
    }

    @Test func lastIsAlwaysKept() {
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 1)
        let plan = RetentionPlanner.plan(F.epochs([0.1, 0.2, .nan]), policy: policy)
        #expect(kept(plan) == [1, 3])
        #expect(plan.keep[3] == "last")
    }

    @Test func replacedEntriesAreNotPlanned() {
        var events = F.save(1, epoch: 1, metrics: ["val_loss": 0.5])
        events.append(.begin(.init(seq: 2, path: "checkpoints/1.pt", epoch: 2, metrics: ["val_loss": 0.6], bytes: 1,
                                   sha256: "", replaces: 1, time: F.time(2))))
        events.append(.commit(.init(seq: 2, time: F.time(2))))
        let plan = RetentionPlanner.plan(ManifestState(events: events),
                                         policy: CheckpointPolicy(saveStrategy: .best, monitor: "val_loss"))
        #expect(plan == RetentionPlan(keep: [2: "best by val_loss (min); last"], best: 2, last: 2))
    }

    @Test func planIsDeterministic() {
        let state = F.epochs((0..<200).map { Double(($0 * 37) % 17) })
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 5, keepLast: 3, keepPeriod: 50)
        #expect(RetentionPlanner.plan(state, policy: policy) == RetentionPlanner.plan(state, policy: policy))
    }

    @Test func largeTopKUsesTheSortingPath() {
        let losses: [Double?] = (0..<300).map { Double(($0 * 7919) % 101) }
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 100)
        let plan = RetentionPlanner.plan(F.epochs(losses), policy: policy)
        let byTopK = plan.keep.filter { $0.value.contains("top 100 by") }
        #expect(byTopK.count == 100)
        // Reference: sort by (value, seq) and take 100.
        let expected = losses.enumerated().sorted { ($0.element!, $0.offset) < ($1.element!, $1.offset) }
            .prefix(100).map { $0.offset + 1 }
        #expect(Set(byTopK.map(\.key)) == Set(expected))
    }
}
