import CairnCore

/// What a new run is made of. Only `experiment` is required.
public struct RunRequest: Sendable {
    /// The experiment; created if it does not exist yet.
    public var experiment: ExperimentName
    /// An optional human name for the run.
    public var name: String?
    /// The run's config, with overrides already applied (see ``RunConfig``); written to `config.yaml`
    /// (`{}` when nil).
    public var config: ConfigValue?
    /// The config file it came from, recorded in `run.json`.
    public var configSource: String?
    /// The `--set` overrides as given, recorded in `run.json`.
    public var configOverrides: [String]
    /// Tags to set at creation.
    public var tags: [String: String]
    /// Values for layout fields that are neither the experiment's nor the run's own (for example
    /// `train_prompt_id` in the prompt-tree layout).
    public var layoutFields: [String: String]
    /// The command line recorded in `run.json`.
    public var command: [String]
    /// The working directory recorded in `run.json`, and where git is asked about the code.
    public var workingDirectory: String?
    /// Record the git commit (and diff, when dirty) of the working directory's repository.
    public var captureGit: Bool
    /// The process that owns the run's lease (the run is RUNNING while it lives).
    public var owner: LeaseOwner
    /// The run this one resumes, recorded as `resumed_from` in `run.json` (see ``Store/resumption(of:)``).
    public var resumedFrom: RunID?

    /// A request; everything but the experiment is optional.
    /// - Parameters:
    ///   - experiment: the experiment (created if it does not exist yet).
    ///   - name: a human name for the run.
    ///   - config: the run's config, overrides applied (see ``RunConfig/load(path:overrides:)``).
    ///   - configSource: the config file it came from.
    ///   - configOverrides: the `--set` overrides as given.
    ///   - tags: tags to set at creation.
    ///   - layoutFields: values for layout fields that are neither the experiment's nor the run's own.
    ///   - command: the command line to record.
    ///   - workingDirectory: the working directory to record (the current one when nil).
    ///   - captureGit: record the git commit and diff of the working directory's repository.
    ///   - owner: the process that owns the run's lease: this one by default.
    public init(experiment: ExperimentName, name: String? = nil, config: ConfigValue? = nil, configSource: String? = nil,
                configOverrides: [String] = [], tags: [String: String] = [:], layoutFields: [String: String] = [:],
                command: [String] = [], workingDirectory: String? = nil, captureGit: Bool = true,
                owner: LeaseOwner = .currentProcess) {
        self.experiment = experiment
        self.name = name
        self.config = config
        self.configSource = configSource
        self.configOverrides = configOverrides
        self.tags = tags
        self.layoutFields = layoutFields
        self.command = command
        self.workingDirectory = workingDirectory
        self.captureGit = captureGit
        self.owner = owner
    }
}
