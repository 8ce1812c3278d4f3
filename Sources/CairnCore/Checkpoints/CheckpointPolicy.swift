/// Which checkpoints of a run are written and which are kept.
///
/// Every field is optional: nil means "not set at this level", so that a store, an experiment and a
/// single call can each set a few fields and ``resolve(store:experiment:call:)`` layers them. What the
/// fields mean when the policy is applied is decided by ``RetentionPlanner``:
///
/// - ``saveStrategy``: `all` keeps every checkpoint; `best` keeps the best by ``monitor`` (plus the
///   last); `last` keeps only the last (no best, no top-k). When nil (a level set ``topK`` or
///   ``keepLast`` without a strategy) the retention rules alone decide.
/// - ``monitor`` and ``mode``: the metric that ranks checkpoints, smaller (`min`, the default) or
///   larger (`max`) being better.
/// - ``topK``, ``keepLast``: keep the k best by the monitor, the k most recent saves.
/// - ``everyNEpochs``, ``everyNSteps``: save filters; see ``shouldSave(epoch:step:)``.
/// - ``keepEpochs``, ``keepPeriod``, ``keepStepPeriod``: checkpoints kept forever, whatever the rest
///   says: the listed epochs, the epochs (steps) that are multiples of the period.
///
/// The YAML form (keys `save_strategy`, `monitor`, `mode`, `top_k`, `keep_last`, `every_n_epochs`,
/// `every_n_steps`, `keep_epochs`, `keep_period`, `keep_step_period`) is read by
/// ``init(mapping:source:)`` and written by ``mapping``.
public struct CheckpointPolicy: Sendable, Equatable, CustomStringConvertible {
    /// The preset retention strategies (the model-type experiments' `checkpoint.save_strategy`).
    public enum SaveStrategy: String, Sendable, CaseIterable {
        /// Keep the best checkpoint by the monitored metric, and the last.
        case best
        /// Keep only the last checkpoint.
        case last
        /// Keep every checkpoint.
        case all
    }

    /// Whether a smaller or a larger value of the monitored metric is better.
    public enum Mode: String, Sendable, CaseIterable {
        /// Smaller is better (losses, errors).
        case min
        /// Larger is better (accuracies, scores).
        case max
    }

    /// The preset strategy, or nil when not set at this level.
    public var saveStrategy: SaveStrategy?
    /// The name of the metric that ranks checkpoints (`val_loss`).
    public var monitor: String?
    /// Whether smaller or larger values of ``monitor`` are better; ``Mode/min`` when unset.
    public var mode: Mode?
    /// Keep the k best checkpoints by ``monitor``.
    public var topK: Int?
    /// Keep the k most recent checkpoints.
    public var keepLast: Int?
    /// Save only at epochs that are multiples of this.
    public var everyNEpochs: Int?
    /// Save only at steps that are multiples of this.
    public var everyNSteps: Int?
    /// Epochs whose (newest) checkpoint is always kept (SuperGradients run folders keep 10 and 15).
    public var keepEpochs: [Int]?
    /// Checkpoints at epochs that are multiples of this are kept forever.
    public var keepPeriod: Int?
    /// Checkpoints at steps that are multiples of this are kept forever.
    public var keepStepPeriod: Int?

    /// A policy with the given fields set; every field defaults to unset.
    public init(saveStrategy: SaveStrategy? = nil, monitor: String? = nil, mode: Mode? = nil,
                topK: Int? = nil, keepLast: Int? = nil, everyNEpochs: Int? = nil, everyNSteps: Int? = nil,
                keepEpochs: [Int]? = nil, keepPeriod: Int? = nil, keepStepPeriod: Int? = nil) {
        self.saveStrategy = saveStrategy
        self.monitor = monitor
        self.mode = mode
        self.topK = topK
        self.keepLast = keepLast
        self.everyNEpochs = everyNEpochs
        self.everyNSteps = everyNSteps
        self.keepEpochs = keepEpochs
        self.keepPeriod = keepPeriod
        self.keepStepPeriod = keepStepPeriod
    }

    /// The policy in force when nothing else is configured: keep everything. Nothing is deleted unless a
    /// policy says so.
    public static let `default` = CheckpointPolicy(saveStrategy: .all)

    /// True when no field is set.
    public var isEmpty: Bool { self == CheckpointPolicy() }

    /// ``mode``, or ``Mode/min`` when it is not set.
    public var effectiveMode: Mode { mode ?? .min }

    /// Whether a checkpoint at this epoch and step should be written at all.
    ///
    /// With ``everyNEpochs`` set, the epoch must be a multiple of it (0 is; a save without an epoch passes
    /// that filter); with ``everyNSteps`` set, the step must be a multiple of it (a save without a step
    /// passes that filter). Both filters apply when both are set.
    /// - Parameters:
    ///   - epoch: the epoch of the save, if known.
    ///   - step: the global step of the save, if known.
    public func shouldSave(epoch: Int?, step: Int?) -> Bool {
        if let n = everyNEpochs, n > 0, let epoch, epoch % n != 0 { return false }
        if let n = everyNSteps, n > 0, let step, step % n != 0 { return false }
        return true
    }

    /// This policy with the fields set in `more` replacing its own.
    ///
    /// The retention rule — ``saveStrategy``, ``topK`` and ``keepLast`` — is taken as a whole: when `more`
    /// sets any of the three, all three come from `more` (so an experiment's `top_k: 3` replaces a store's
    /// `save_strategy: all` instead of being swallowed by it). Every other field is taken one by one.
    /// - Parameter more: the more specific policy.
    public func overriding(with more: CheckpointPolicy) -> CheckpointPolicy {
        var result = self
        if more.saveStrategy != nil || more.topK != nil || more.keepLast != nil {
            result.saveStrategy = more.saveStrategy
            result.topK = more.topK
            result.keepLast = more.keepLast
        }
        if let v = more.monitor { result.monitor = v }
        if let v = more.mode { result.mode = v }
        if let v = more.everyNEpochs { result.everyNEpochs = v }
        if let v = more.everyNSteps { result.everyNSteps = v }
        if let v = more.keepEpochs { result.keepEpochs = v }
        if let v = more.keepPeriod { result.keepPeriod = v }
        if let v = more.keepStepPeriod { result.keepStepPeriod = v }
        return result
    }

    /// The policy in force for one save: the call's fields over the experiment's over the store's over
    /// ``default``.
    /// - Parameters:
    ///   - store: the store-wide policy (`cairn.yaml`), if any.
    ///   - experiment: the experiment's policy, if any.
    ///   - call: the policy given with the call (`cairn ckpt save --top-k 3`), if any.
    public static func resolve(store: CheckpointPolicy? = nil, experiment: CheckpointPolicy? = nil,
                               call: CheckpointPolicy? = nil) -> CheckpointPolicy {
        var result = CheckpointPolicy.default
        for level in [store, experiment, call] {
            if let level { result = result.overriding(with: level) }
        }
        return result
    }

    /// Checks that the fields make sense together; apply it to a resolved policy.
    ///
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` when `top_k` or
    ///   `save_strategy: best` is set without `monitor`, `save_strategy: last` comes with `top_k`,
    ///   `save_strategy: all` comes with `top_k` or `keep_last` (they would do nothing), or a count is not
    ///   positive.
    public func validate() throws(CairnError) {
        for (key, value) in [("top_k", topK), ("keep_last", keepLast), ("every_n_epochs", everyNEpochs),
                             ("every_n_steps", everyNSteps), ("keep_period", keepPeriod),
                             ("keep_step_period", keepStepPeriod)] {
            if let value, value <= 0 {
                throw CairnError(.invalidConfig, "checkpoint policy: \(key) must be a positive integer, not \(value)",
                                 hint: "set \(key) to 1 or more, or remove it")
            }
        }
        if let epochs = keepEpochs, let negative = epochs.first(where: { $0 < 0 }) {
            throw CairnError(.invalidConfig, "checkpoint policy: keep_epochs holds the negative epoch \(negative)",
                             hint: "list epochs as integers from 0")
        }
        if monitor?.isEmpty == true {
            throw CairnError(.invalidConfig, "checkpoint policy: monitor is empty",
                             hint: "set monitor to a metric name such as val_loss")
        }
        if monitor == nil, let topK {
            throw CairnError(.invalidConfig, "checkpoint policy: top_k \(topK) needs a monitored metric",
                             hint: "set monitor (and mode), such as monitor=val_loss mode=min")
        }
        if monitor == nil, saveStrategy == .best {
            throw CairnError(.invalidConfig, "checkpoint policy: save_strategy best needs a monitored metric",
                             hint: "set monitor (and mode), such as monitor=val_loss mode=min")
        }
        if saveStrategy == .last, topK != nil {
            throw CairnError(.invalidConfig, "checkpoint policy: save_strategy last keeps only the last, so top_k cannot apply",
                             hint: "remove top_k, or set save_strategy best")
        }
        if saveStrategy == .all, topK != nil || keepLast != nil {
            let key = topK != nil ? "top_k" : "keep_last"
            throw CairnError(.invalidConfig, "checkpoint policy: save_strategy all keeps every checkpoint, so \(key) cannot apply",
                             hint: "remove \(key), or set save_strategy best")
        }
    }

    /// The policy in one line for humans: `top 3 by val_loss (min), keep last 1, keep epochs 10, 15`.
    public var description: String {
        var parts: [String] = []
        let ranked = monitor.map { "\($0) (\(effectiveMode.rawValue))" }
        switch saveStrategy {
        case .all: parts.append("keep all")
        case .last: parts.append("keep only the last")
        case .best: parts.append(ranked.map { "best by \($0)" } ?? "best (no monitor set)")
        case nil: break
        }
        if let topK { parts.append("top \(topK) by \(ranked ?? "(no monitor set)")") }
        if let ranked, topK == nil, saveStrategy == .all || saveStrategy == nil {
            parts.append("best by \(ranked)")
        }
        if let keepLast { parts.append("keep last \(keepLast)") }
        if let keepEpochs, !keepEpochs.isEmpty {
            parts.append("keep epoch\(keepEpochs.count == 1 ? "" : "s") "
                         + keepEpochs.map(String.init).joined(separator: ", "))
        }
        if let keepPeriod { parts.append("keep epochs divisible by \(keepPeriod)") }
        if let keepStepPeriod { parts.append("keep steps divisible by \(keepStepPeriod)") }
        if let everyNEpochs { parts.append("save every \(everyNEpochs) epoch\(everyNEpochs == 1 ? "" : "s")") }
        if let everyNSteps { parts.append("save every \(everyNSteps) step\(everyNSteps == 1 ? "" : "s")") }
        if saveStrategy == nil, topK == nil, keepLast == nil { parts.insert("keep all", at: 0) }
        return parts.joined(separator: ", ")
    }
}
