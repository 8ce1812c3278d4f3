import CairnCore

/// What a user asked of `cairn resume`.
public struct ResumeOptions: Sendable {
    /// Reopen the source run instead of starting a new one.
    public var continueRun: Bool
    /// Clone the source's experiment as this new experiment and resume there.
    public var newExperiment: ExperimentName?
    /// The command to run instead of the recorded one.
    public var command: [String]?
    /// `--set a.b.c=VALUE` overrides applied to the source's config (new run or experiment only).
    public var overrides: [String]
    /// The new run's name (default: the source's).
    public var name: String?
    /// Resume a run whose owner is alive.
    public var force: Bool

    /// Options; by default a new run of the source's experiment with the recorded command.
    public init(continueRun: Bool = false, newExperiment: ExperimentName? = nil, command: [String]? = nil,
                overrides: [String] = [], name: String? = nil, force: Bool = false) {
        self.continueRun = continueRun
        self.newExperiment = newExperiment
        self.command = command
        self.overrides = overrides
        self.name = name
        self.force = force
    }
}
