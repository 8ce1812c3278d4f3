import CairnCore

/// What `cairn resume` will do, decided before anything runs (``Store/resumePlan(_:options:)``).
public struct ResumePlan: Sendable {
    /// How the training is resumed.
    public enum Mode: Sendable, Equatable {
        /// In a new run of the source's experiment, linked to it by `resumed_from`.
        case newRun
        /// In the source run itself, reopened (`--continue`).
        case continueRun
        /// In a new experiment cloned from the source's (`--as NEW`), whose run is linked by `resumed_from`.
        case newExperiment(ExperimentName)
    }

    /// How the training is resumed.
    public var mode: Mode
    /// The run resumed.
    public var source: Run
    /// The checkpoint the training loads: the source's newest complete one.
    public var checkpoint: CairnAPI.Checkpoint
    /// The command to run (the recorded one, or the one given).
    public var command: [String]
    /// Where it runs: the recorded working folder when it still exists, else nil (the current one).
    public var workingDirectory: String?
    /// The config the training runs with: the source's, overrides applied, resume fields set (unused by
    /// `continueRun`, whose config stays as it is).
    public var config: ConfigValue
    /// The new run, for `newRun` and `newExperiment`.
    public var request: RunRequest?
    /// What the command finds in its environment besides the run's variables: `CAIRN_RESUME_CHECKPOINT`
    /// (absolute path), `CAIRN_RESUME_STEP` and `CAIRN_RESUME_EPOCH` (when known), `CAIRN_RESUMED_FROM`.
    public var environment: [String: String]

    /// The variables a resumed command gets for `checkpoint` of `source`.
    public static func environment(for checkpoint: CairnAPI.Checkpoint, source: RunID) -> [String: String] {
        var environment = ["CAIRN_RESUME_CHECKPOINT": checkpoint.path, "CAIRN_RESUMED_FROM": source.value]
        if let step = checkpoint.step { environment["CAIRN_RESUME_STEP"] = String(step) }
        if let epoch = checkpoint.epoch { environment["CAIRN_RESUME_EPOCH"] = String(epoch) }
        return environment
    }
}
