/// How a policy's retention works once unset fields are taken into account.
enum EffectiveStrategy: Equatable {
    /// Keep every lineage entry.
    case all
    /// Keep the last (plus keep_last, keep_epochs and the periods).
    case last
    /// Keep what the rules keep: best, last, top_k, keep_last, keep_epochs, the periods.
    case rules

    init(_ policy: CheckpointPolicy) {
        switch policy.saveStrategy {
        case .all: self = .all
        case .last: self = .last
        case .best: self = .rules
        case nil: self = policy.topK != nil || policy.keepLast != nil ? .rules : .all
        }
    }
}
