/// The reason texts of a plan, built once per distinct combination of rules.
struct RetentionReasons {
    private let policy: CheckpointPolicy
    private let strategy: EffectiveStrategy
    private let ranking: Ranking?
    private var keepCache: [UInt16: String] = [:]
    private var pruneCache = [String?](repeating: nil, count: 5)

    init(policy: CheckpointPolicy, strategy: EffectiveStrategy, ranking: Ranking?) {
        self.policy = policy
        self.strategy = strategy
        self.ranking = ranking
    }

    /// Every rule that keeps the entry, `; `-separated: `best by val_loss (min); last`.
    mutating func keepReason(_ rules: RetentionRule.Set, _ entry: LineageEntry) -> String {
        if rules.contains(.keepEpochs) { return makeKeepReason(rules, entry) }
        if let cached = keepCache[rules.rawValue] { return cached }
        let text = makeKeepReason(rules, entry)
        keepCache[rules.rawValue] = text
        return text
    }

    private func makeKeepReason(_ rules: RetentionRule.Set, _ entry: LineageEntry) -> String {
        var parts: [String] = []
        for rule in RetentionRule.allCases where rules.contains(RetentionRule.Set(rule)) {
            switch rule {
            case .best: parts.append("best by \(ranking?.label ?? "")")
            case .last: parts.append("last")
            case .topK: parts.append("top \(policy.topK ?? 0) by \(ranking?.label ?? "")")
            case .keepLast:
                let k = policy.keepLast ?? 0
                parts.append(k == 1 ? "the last save" : "among the last \(k) saves")
            case .keepEpochs: parts.append("epoch \(entry.epoch ?? 0) listed in keep_epochs")
            case .keepPeriod: parts.append("epoch divisible by keep_period \(policy.keepPeriod ?? 0)")
            case .keepStepPeriod: parts.append("step divisible by keep_step_period \(policy.keepStepPeriod ?? 0)")
            case .all: parts.append("save_strategy all")
            }
        }
        return parts.joined(separator: "; ")
    }

    /// Why no rule keeps the entry: `not among the top 3 by val_loss (min); not among the last 2 saves`.
    mutating func pruneReason(_ entry: LineageEntry) -> String {
        let problem = Int(entry.problem)
        if let cached = pruneCache[problem] { return cached }
        let text = makePruneReason(problem)
        pruneCache[problem] = text
        return text
    }

    private func makePruneReason(_ problem: Int) -> String {
        var parts: [String] = []
        if strategy == .last { parts.append("save_strategy last keeps only the last") }
        if let ranking {
            var ranked = policy.topK.map { "not among the top \($0) by \(ranking.label)" }
                ?? "not the best by \(ranking.label)"
            switch problem {
            case 1: ranked += " (\(ranking.metric) is missing)"
            case 2: ranked += " (\(ranking.metric) is nan)"
            case 3: ranked += " (\(ranking.metric) is inf)"
            case 4: ranked += " (\(ranking.metric) is -inf)"
            default: break
            }
            parts.append(ranked)
        }
        if let k = policy.keepLast { parts.append(k == 1 ? "not the last save" : "not among the last \(k) saves") }
        if parts.isEmpty { parts.append("not the last save") }
        return parts.joined(separator: "; ")
    }
}
