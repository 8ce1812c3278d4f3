/// The few fields of a checkpoint the planner works on, copied out once so that planning does not touch
/// (and retain) the entries' strings and dictionaries.
struct LineageEntry {
    /// The index in ``ManifestState/entries``.
    let index: Int
    let seq: Int
    let epoch: Int?
    let step: Int?
    /// The monitored value when it is finite, else NaN.
    var value: Double = .nan
    /// 0: finite (or no monitor); 1: missing; 2: NaN; 3: +inf; 4: -inf.
    var problem: UInt8 = 0

    /// True when this entry's (epoch, step) is strictly before `other`'s; a missing step equals any step
    /// of its epoch. Entries that cannot be ordered (an unknown epoch and no steps to compare) count as
    /// in order: nothing supersedes what cannot be placed.
    func isBefore(_ other: LineageEntry) -> Bool {
        if let a = epoch, let b = other.epoch, a != b { return a < b }
        if let x = step, let y = other.step, x != y { return x < y }
        // Same known epoch, and the same step or no step to tell them apart: a save again.
        if epoch != nil, epoch == other.epoch { return false }
        if step != nil, step == other.step { return false }
        return true
    }

    /// Records the monitored metric's value (nil: missing).
    mutating func rank(_ monitored: Double?) {
        guard let v = monitored else { problem = 1; return }
        if v.isNaN { problem = 2 } else if v.isInfinite { problem = v > 0 ? 3 : 4 } else { value = v }
    }
}
