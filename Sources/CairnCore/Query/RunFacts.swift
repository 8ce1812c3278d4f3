/// The facts a search knows of a run: its record, params, tags, the summary of each metric, and its best and
/// last checkpoints. Filters (``RunFilter``) and orderings (``RunOrdering``) are defined on it.
public struct RunFacts: Sendable, Equatable {
    /// The run's record.
    public var record: RunRecord
    /// The run folder, relative to the store's root.
    public var folder: String
    /// Params, as text.
    public var params: [String: String]
    /// Tags.
    public var tags: [String: String]
    /// Each metric's summary, by its ``MetricName`` (`loss`, `eval/loss`).
    public var metrics: [String: MetricSummary]
    /// The best checkpoint under the run's policy, if any.
    public var bestCheckpoint: CheckpointSummary?
    /// The newest kept checkpoint, if any.
    public var lastCheckpoint: CheckpointSummary?
    /// How many checkpoints are kept.
    public var keptCheckpoints: Int
    /// When the run was deleted (softly: `cairn serve`'s `runs/delete`), from its registry entry; nil while it is active.
    public var deletedAt: Timestamp?

    /// A summary.
    public init(record: RunRecord, folder: String, params: [String: String] = [:], tags: [String: String] = [:],
                metrics: [String: MetricSummary] = [:], bestCheckpoint: CheckpointSummary? = nil,
                lastCheckpoint: CheckpointSummary? = nil, keptCheckpoints: Int = 0) {
        self.record = record
        self.folder = folder
        self.params = params
        self.tags = tags
        self.metrics = metrics
        self.bestCheckpoint = bestCheckpoint
        self.lastCheckpoint = lastCheckpoint
        self.keptCheckpoints = keptCheckpoints
    }

    /// A checkpoint as a search sees it.
    public struct CheckpointSummary: Sendable, Equatable {
        /// Its number in the run's manifest.
        public var seq: Int
        /// Its path, relative to the run folder.
        public var path: String
        /// The step and epoch it was saved at, when given.
        public var step: Int?
        public var epoch: Int?
        /// The metrics recorded with it (`ckpt save --metric`).
        public var metrics: [String: Double]

        /// A checkpoint summary.
        public init(seq: Int, path: String, step: Int?, epoch: Int?, metrics: [String: Double]) {
            self.seq = seq
            self.path = path
            self.step = step
            self.epoch = epoch
            self.metrics = metrics
        }

        /// Equal when every field is, NaN metrics equal to NaN (a summary read back equals the one written).
        public static func == (lhs: CheckpointSummary, rhs: CheckpointSummary) -> Bool {
            lhs.seq == rhs.seq && lhs.path == rhs.path && lhs.step == rhs.step && lhs.epoch == rhs.epoch
                && lhs.metrics.count == rhs.metrics.count
                && lhs.metrics.allSatisfy { key, value in
                    rhs.metrics[key].map { $0 == value || ($0.isNaN && value.isNaN) } ?? false
                }
        }
    }

    /// The number a param's text spells, when it is a finite decimal (`0.001`, `1e-3`, `64`); nil for
    /// anything else (`adam`, `[64, 64]`, `nan`). Filters and the index read params with this one rule.
    public static func number(_ text: String) -> Double? {
        guard let value = MetricValue.parse(text), value.isFinite else { return nil }
        return value
    }

    /// The run's value of `field`: a number, a text, or nil when the run lacks it (a NaN metric is lacking).
    public func value(of field: FilterField) -> FieldValue? {
        switch field {
        case .metric(let name):
            return metrics[name].flatMap { $0.valueAtHighestStep.isNaN ? nil : .number($0.valueAtHighestStep) }
        case .checkpointMetric(let pointer, let key):
            let checkpoint = pointer == .best ? bestCheckpoint : lastCheckpoint
            return checkpoint?.metrics[key].flatMap { $0.isNaN ? nil : .number($0) }
        case .param(let key):
            return params[key].map { .text($0) }
        case .tag(let key):
            return tags[key].map { .text($0) }
        case .attribute(let attribute):
            switch attribute {
            case .runID: return .text(record.id.description)
            case .runName: return record.name.map { .text($0) }
            case .status: return .text(record.status.rawValue)
            case .startTime: return .number(Double(record.startTime.millisecondsSinceEpoch))
            case .endTime: return record.endTime.map { .number(Double($0.millisecondsSinceEpoch)) }
            case .user: return .text(record.user)
            case .experiment: return .text(record.experiment)
            case .duration:
                return record.endTime.map { .number(Double($0.millisecondsSinceEpoch - record.startTime.millisecondsSinceEpoch)) }
            }
        }
    }

    /// A field's value in a run.
    public enum FieldValue: Sendable, Equatable {
        case number(Double)
        case text(String)
    }
}
