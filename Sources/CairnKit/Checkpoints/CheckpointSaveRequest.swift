import CairnCore

/// One checkpoint to save.
public struct CheckpointSaveRequest: Sendable {
    public var epoch: Int
    public var step: Int?
    /// Metrics at this checkpoint (`val_loss`…); the monitored one, if any, must be present.
    public var metrics: [String: Double]
    public var source: CheckpointSource
    /// Policy settings for this call; they override the experiment's and the store's.
    public var policy: CheckpointPolicy
    /// Accept NaN and ±Inf metric values (they are recorded, and never count as best).
    public var allowNonFinite: Bool

    public init(epoch: Int, step: Int? = nil, metrics: [String: Double] = [:], source: CheckpointSource,
                policy: CheckpointPolicy = CheckpointPolicy(), allowNonFinite: Bool = false) {
        self.epoch = epoch
        self.step = step
        self.metrics = metrics
        self.source = source
        self.policy = policy
        self.allowNonFinite = allowNonFinite
    }
}
