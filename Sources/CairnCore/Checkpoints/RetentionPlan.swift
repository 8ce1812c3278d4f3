/// What to keep and what to prune among a run's committed checkpoints, with a reason for each: the
/// output of ``RetentionPlanner/plan(_:policy:)``.
public struct RetentionPlan: Sendable, Equatable {
    /// The checkpoints to keep, by sequence number, each with every rule that keeps it
    /// (`best by val_loss (min); last`).
    public var keep: RetentionDecisions
    /// The checkpoints to prune, by sequence number, each with the rule that drops it
    /// (`not among the top 3 by val_loss (min)`).
    public var prune: RetentionDecisions
    /// The sequence number the `best` pointer should name, if there is a best.
    public var best: Int?
    /// The sequence number the `last` pointer should name, if any checkpoint is committed.
    public var last: Int?

    /// A plan with the given parts.
    public init(keep: RetentionDecisions = [:], prune: RetentionDecisions = [:], best: Int? = nil, last: Int? = nil) {
        self.keep = keep
        self.prune = prune
        self.best = best
        self.last = last
    }

    /// The sequence numbers to keep, in increasing order.
    public var keptSeqs: [Int] { keep.keys }

    /// The sequence numbers to prune, in increasing order (the order to write `prune` events in).
    public var prunedSeqs: [Int] { prune.keys }
}
