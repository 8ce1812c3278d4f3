import CairnCore

/// What `cairn reproduce` will do, decided before anything runs (``Store/reproducePlan(_:extraArguments:options:)``).
public struct ReproducePlan: Sendable {
    /// The run reproduced.
    public var source: Run
    /// The new run: the recorded config, command and working folder.
    public var request: RunRequest
    /// The command to run: the recorded one, then the extra arguments.
    public var command: [String]
    /// Where it runs: the recorded working folder when it still exists, else nil (the current one).
    public var workingDirectory: String?
    /// The experiment to make first (`--as NEW`), with the recorded config as its `config.yaml`.
    public var newExperiment: ExperimentName?
    /// Why the code may differ from the recorded run's (another commit, uncommitted changes), one
    /// sentence each; empty when it is the same commit and the tree was clean.
    public var warnings: [String]
}
