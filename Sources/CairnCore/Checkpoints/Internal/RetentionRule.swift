/// The rules that can keep a checkpoint, in the order their names appear in a reason.
enum RetentionRule: Int, CaseIterable {
    case best, last, topK, keepLast, keepEpochs, keepPeriod, keepStepPeriod, all

    /// A set of rules as bits.
    struct Set: OptionSet {
        let rawValue: UInt16
        static let best = Set(.best)
        static let last = Set(.last)
        static let topK = Set(.topK)
        static let keepLast = Set(.keepLast)
        static let keepEpochs = Set(.keepEpochs)
        static let keepPeriod = Set(.keepPeriod)
        static let keepStepPeriod = Set(.keepStepPeriod)
        static let all = Set(.all)

        init(rawValue: UInt16) { self.rawValue = rawValue }
        init(_ rule: RetentionRule) { rawValue = 1 << UInt16(rule.rawValue) }
    }
}
