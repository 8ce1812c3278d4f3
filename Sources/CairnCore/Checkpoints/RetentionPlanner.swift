/// Decides which of a run's checkpoints to keep: a pure function of the manifest and the policy.
///
/// Only committed checkpoints that are not pruned, aborted or replaced (``CheckpointEntry/isKept``) are
/// considered; pending saves are in neither list. The rules:
///
/// 1. **Lineage.** Walking the kept entries in sequence order, an entry whose (epoch, step) is not after
///    the previous lineage entry's means the run resumed from an earlier checkpoint: every earlier lineage
///    entry whose (epoch, step) is at or after the new one's is *stale* and pruned (`superseded: …`).
///    (epoch, step) pairs compare by epoch, then by step, a missing step counting as equal to any step of
///    the same epoch. Stale entries are never best and count for no other rule.
/// 2. **last** is the newest lineage entry; it is always kept.
/// 3. **best** (with a monitor, unless the strategy is `last`): the lineage entry whose monitored metric is
///    the smallest (`min`) or largest (`max`) finite value; on a tie the earliest wins. Missing, NaN and
///    infinite values never count. The best is always kept.
/// 4. **top_k** (with a monitor, unless the strategy is `last`): the k best finite entries, ties broken by
///    the earliest. **keep_last**: the k newest lineage entries. **keep_epochs**: for each listed epoch, the
///    newest lineage entry at that epoch. **keep_period** / **keep_step_period**: the newest lineage entry
///    of each epoch (step) that is a multiple of the period (0 is).
/// 5. **Strategy.** `all`, or no strategy and neither top_k nor keep_last: every lineage entry is kept.
///    `best`, or no strategy with top_k or keep_last: the entries kept by rules 2–4. `last`: the last,
///    plus keep_last, keep_epochs and the periods.
/// 6. Every other lineage entry is pruned, with a reason naming the rules that could have kept it.
///
/// The plan is deterministic, takes O(n log n) time, and is idempotent: planning again after applying
/// its prunes prunes nothing more.
public enum RetentionPlanner {
    /// Plans retention for a run.
    /// - Parameters:
    ///   - state: the run's manifest, folded.
    ///   - policy: the resolved policy in force (``CheckpointPolicy/resolve(store:experiment:call:)``).
    /// - Returns: the entries to keep and prune, with reasons, and the best and last entries.
    public static func plan(_ state: ManifestState, policy: CheckpointPolicy) -> RetentionPlan {
        // Through a buffer pointer: the entries are read in place, never copied (nor their fields retained).
        state.entries.withUnsafeBufferPointer { plan($0, policy: policy) }
    }

    private static func plan(_ entries: UnsafeBufferPointer<CheckpointEntry>, policy: CheckpointPolicy) -> RetentionPlan {
        var plan = RetentionPlan()
        var lineage = buildLineage(entries, prune: &plan.prune)
        guard let lastEntry = lineage.last else { return plan }
        plan.last = lastEntry.seq

        let strategy = EffectiveStrategy(policy)
        let ranking = strategy == .last ? nil : policy.monitor.map { Ranking(metric: $0, mode: policy.effectiveMode) }
        var bits = [RetentionRule.Set](repeating: [], count: lineage.count)
        bits[lineage.count - 1].insert(.last)
        if strategy == .all {
            for i in bits.indices { bits[i].insert(.all) }
        }
        if let ranking {
            let metric = ranking.metric
            lineage.withUnsafeMutableBufferPointer { lineage in
                guard let base = entries.baseAddress else { return }
                for position in lineage.indices {
                    lineage[position].rank(monitored(metric, of: base + lineage[position].index))
                }
            }
            if let best = bestPosition(lineage, ranking) {
                bits[best].insert(.best)
                plan.best = lineage[best].seq
            }
            if let k = policy.topK {
                for position in topPositions(lineage, ranking, k: k) { bits[position].insert(.topK) }
            }
        }
        if let k = policy.keepLast {
            for position in max(0, lineage.count - k)..<lineage.count { bits[position].insert(.keepLast) }
        }
        markPeriodic(lineage, policy, &bits)

        var texts = RetentionReasons(policy: policy, strategy: strategy, ranking: ranking)
        plan.prune.reserveCapacity(plan.prune.count + lineage.count)
        for (position, entry) in lineage.enumerated() {
            if bits[position].isEmpty {
                plan.prune.appendUnordered(entry.seq, texts.pruneReason(entry))
            } else {
                plan.keep.appendUnordered(entry.seq, texts.keepReason(bits[position], entry))
            }
        }
        plan.keep.finish()
        plan.prune.finish()
        return plan
    }

    /// An entry's monitored value, read in place: calling a method of the entry here (or passing
    /// `entries[i]`) made a copy of the whole entry for each call.
    private static func monitored(_ metric: String, of entry: UnsafePointer<CheckpointEntry>) -> Double? {
        if let packed = entry.pointee.packed { return packed.texts.metric(metric, at: packed.slot) }
        return entry.pointee.storedMetrics[metric]
    }

    /// The lineage in sequence order; stale entries go to `prune`.
    private static func buildLineage(_ entries: UnsafeBufferPointer<CheckpointEntry>,
                                     prune: inout RetentionDecisions) -> [LineageEntry] {
        var lineage: [LineageEntry] = []
        lineage.reserveCapacity(entries.count)
        guard let base = entries.baseAddress else { return lineage }
        for index in entries.indices {
            let checkpoint = base + index
            guard checkpoint.pointee.isKept else { continue }
            let entry = LineageEntry(index: index, seq: checkpoint.pointee.seq, epoch: checkpoint.pointee.epoch,
                                     step: checkpoint.pointee.step)
            var reason: String?
            while let top = lineage.last, !top.isBefore(entry) {
                let at = [entry.epoch.map { "epoch \($0)" }, entry.step.map { "step \($0)" }].compactMap { $0 }.joined(separator: " ")
                let text = reason ?? "superseded: the run resumed and saved \(at) again (seq \(entry.seq))"
                reason = text
                prune.appendUnordered(top.seq, text)
                lineage.removeLast()
            }
            lineage.append(entry)
        }
        return lineage
    }

    /// The lineage position of the best finite value; the earliest wins a tie.
    private static func bestPosition(_ lineage: [LineageEntry], _ ranking: Ranking) -> Int? {
        var best: Int?
        for position in lineage.indices where lineage[position].problem == 0 {
            if let current = best, !ranking.isBetter(lineage[position].value, than: lineage[current].value) { continue }
            best = position
        }
        return best
    }

    /// The lineage positions of the k best finite values, ties broken by the earliest.
    private static func topPositions(_ lineage: [LineageEntry], _ ranking: Ranking, k: Int) -> [Int] {
        guard k > 0 else { return [] }
        // Kept sorted best first; (value, position) pairs, positions increasing among equal values.
        var top: [(value: Double, position: Int)] = []
        if k <= 64 {
            top.reserveCapacity(k + 1)
            for position in lineage.indices where lineage[position].problem == 0 {
                let value = lineage[position].value
                if top.count == k, !ranking.isBetter(value, than: top[k - 1].value) { continue }
                var insertAt = top.count
                while insertAt > 0, ranking.isBetter(value, than: top[insertAt - 1].value) { insertAt -= 1 }
                top.insert((value, position), at: insertAt)
                if top.count > k { top.removeLast() }
            }
        } else {
            for position in lineage.indices where lineage[position].problem == 0 {
                top.append((lineage[position].value, position))
            }
            top.sort { ranking.isBetter($0.value, than: $1.value) || ($0.value == $1.value && $0.position < $1.position) }
            if top.count > k { top.removeLast(top.count - k) }
        }
        return top.map(\.position)
    }

    /// Marks keep_epochs, keep_period and keep_step_period.
    private static func markPeriodic(_ lineage: [LineageEntry], _ policy: CheckpointPolicy,
                                     _ bits: inout [RetentionRule.Set]) {
        let listed = Set(policy.keepEpochs ?? [])
        let period = policy.keepPeriod.flatMap { $0 > 0 ? $0 : nil }
        if !listed.isEmpty || period != nil {
            for position in lineage.indices {
                guard let epoch = lineage[position].epoch else { continue }
                // The lineage is ordered by epoch: the newest entry of an epoch is the one before a change.
                if position + 1 < lineage.count, lineage[position + 1].epoch == epoch { continue }
                if listed.contains(epoch) { bits[position].insert(.keepEpochs) }
                if let period, epoch % period == 0 { bits[position].insert(.keepPeriod) }
            }
        }
        if let stepPeriod = policy.keepStepPeriod, stepPeriod > 0 {
            var seen = Set<Int>()
            for position in lineage.indices.reversed() {
                guard let step = lineage[position].step, step % stepPeriod == 0,
                      seen.insert(step).inserted else { continue }
                bits[position].insert(.keepStepPeriod)
            }
        }
    }
}
