import CairnCore

/// A search: which experiments, which runs of them (``RunFilter``), in what order, which page.
public struct RunQuery: Sendable, Equatable {
    /// The experiments searched; nil for all.
    public var experiments: [ExperimentID]?
    /// The conditions every run returned meets.
    public var filter: RunFilter
    /// The order, before MLflow's tie-breakers (newest first, then run id).
    public var orderings: [RunOrdering]
    /// The most runs returned; nil for all.
    public var limit: Int?
    /// How many runs of the ordered result to skip (a page token).
    public var offset: Int
    /// What of each returned run to read back besides its record (the fewer, the faster).
    public var parts: Parts = .all
    /// Which runs by lifecycle stage: active ones (the default), deleted ones, or both (MLflow's `run_view_type`).
    public var lifecycle: Lifecycle = .active

    /// MLflow's view types: which runs a search sees by their lifecycle stage.
    public enum Lifecycle: Sendable, Hashable {
        /// Runs not deleted (`ACTIVE_ONLY`).
        case active
        /// Deleted runs only (`DELETED_ONLY`).
        case deleted
        /// Both (`ALL`).
        case all

        /// Whether a run with this deletion time is seen.
        public func includes(_ deletedAt: Timestamp?) -> Bool {
            switch self {
            case .active: deletedAt == nil
            case .deleted: deletedAt != nil
            case .all: true
            }
        }
    }

    /// Parts of a run's facts a search reads back.
    public struct Parts: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let params = Parts(rawValue: 1)
        public static let tags = Parts(rawValue: 2)
        public static let metrics = Parts(rawValue: 4)
        public static let checkpoints = Parts(rawValue: 8)
        public static let all: Parts = [.params, .tags, .metrics, .checkpoints]

        /// The parts `fields` need.
        public init(for fields: [FilterField]) {
            var parts: Parts = []
            for field in fields {
                switch field {
                case .param: parts.insert(.params)
                case .tag: parts.insert(.tags)
                case .metric: parts.insert(.metrics)
                case .checkpointMetric: parts.insert(.checkpoints)
                case .attribute: break
                }
            }
            self = parts
        }
    }

    /// A query; by default every run, newest first.
    public init(experiments: [ExperimentID]? = nil, filter: RunFilter = RunFilter(), orderings: [RunOrdering] = [],
                limit: Int? = nil, offset: Int = 0) {
        self.experiments = experiments
        self.filter = filter
        self.orderings = orderings
        self.limit = limit
        self.offset = offset
    }

    /// The answer of this query over `runs` in memory: what the index answers, computed without it (for
    /// a store whose index cannot be used, and to check the index).
    public func evaluate(_ runs: [IndexedRun]) -> RunPage {
        let wanted = experiments.map(Set.init)
        let matching = runs.filter { run in
            (wanted?.contains(run.facts.record.experimentID) ?? true) && lifecycle.includes(run.facts.deletedAt) && filter.matches(run.facts)
        }
        let stamps = Dictionary(matching.map { ($0.facts.record.id, $0.stamp) }, uniquingKeysWith: { a, _ in a })
        let sorted = RunOrdering.sorted(matching.map(\.facts), by: orderings).map { IndexedRun(facts: $0, stamp: stamps[$0.record.id] ?? "") }
        let start = min(offset, sorted.count)
        let end = limit.map { min(sorted.count, start + $0) } ?? sorted.count
        return RunPage(runs: Array(sorted[start..<end]), nextOffset: end < sorted.count ? end : nil)
    }
}
