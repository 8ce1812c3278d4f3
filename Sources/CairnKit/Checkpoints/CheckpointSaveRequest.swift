import CairnCore

/// One checkpoint to save, for ``RunCheckpoints/save(_:progress:)`` or
/// ``RunCheckpoints/saveInBackground(_:)``.
///
/// ```swift
/// let request = CheckpointSaveRequest(epoch: 5, step: 5000, metrics: ["val_loss": 0.31],
///                                     source: .files(at: ["/tmp/model.pt"], .move),
///                                     policy: CheckpointPolicy(monitor: "val_loss", topK: 3))
/// ```
public struct CheckpointSaveRequest: Sendable {
    /// The epoch the checkpoint was taken at (0 or more), if known; the layout names the checkpoint by
    /// it. A save without one is recorded at epoch 0 and named by its step alone.
    public var epoch: Int?
    /// The global step, if known; required by layouts whose checkpoint names always hold a step. A
    /// save gives an epoch, a step, or both.
    public var step: Int?
    /// Metrics at this checkpoint (`val_loss`…); the monitored one, if any, must be present.
    public var metrics: [String: Double]
    /// Where the checkpoint's bytes come from: files already written, or a closure that writes them.
    public var source: CheckpointSource
    /// Policy settings for this call; they override the experiment's and the store's.
    public var policy: CheckpointPolicy
    /// Accept NaN and ±Inf metric values (they are recorded, and never count as best).
    public var allowNonFinite: Bool

    /// A checkpoint to save.
    /// - Parameters:
    ///   - epoch: the epoch (0 or more), if known.
    ///   - step: the global step, if known (at least one of `epoch` and `step` is given).
    ///   - metrics: metrics at this checkpoint; must hold the monitored one, if the policy has one.
    ///   - source: where the bytes come from.
    ///   - policy: policy settings for this call; unset fields come from the experiment and the store.
    ///   - allowNonFinite: accept NaN and ±Inf metric values.
    public init(epoch: Int?, step: Int? = nil, metrics: [String: Double] = [:], source: CheckpointSource,
                policy: CheckpointPolicy = CheckpointPolicy(), allowNonFinite: Bool = false) {
        self.epoch = epoch
        self.step = step
        self.metrics = metrics
        self.source = source
        self.policy = policy
        self.allowNonFinite = allowNonFinite
    }
}
