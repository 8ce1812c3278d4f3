import CairnCore
import CairnFormats

extension Store {
    /// Decides how to run a run again from the start (`cairn reproduce`): its recorded command (with
    /// `extraArguments` after it), in its recorded working folder, with its recorded config (its
    /// `config.yaml` snapshot), in a new run of its experiment (or of a new experiment, `--as NEW`, for
    /// layouts with one run per experiment), tagged `cairn.reproduces` with its id. Compares the code with
    /// the recorded commit and says how it differs.
    /// - Parameters:
    ///   - target: the run, or the experiment whose latest run is reproduced.
    ///   - extraArguments: arguments appended to the recorded command.
    ///   - options: `newExperiment`, `command` (instead of the recorded one), `overrides`, `name`
    ///     (`continueRun` and `force` do not apply: a reproduction is always a new run).
    /// - Returns: the plan, for ``reproduce(_:environment:terminal:onStart:onOutput:)``.
    /// - Throws: `CairnError`: `.notFound` when there is no run; `.invalidValue` when the run has no
    ///   command of its own (made by `cairn run new`) and none is given; `.conflict` when the new run would
    ///   have no folder (one run per experiment: use `--as NEW`) or NEW exists.
    public func reproducePlan(_ target: ExperimentOrRun, extraArguments: [String] = [],
                              options: ResumeOptions = ResumeOptions()) throws(CairnError) -> ReproducePlan {
        let source = try sourceRun(target)
        var command: [String]
        if let given = options.command { command = given } else { command = try Self.recordedCommand(of: source) }
        command += extraArguments
        let workingDirectory = source.record.workingDirectory.flatMap { FileSystem.isDirectory($0) ? $0 : nil }
        let experiment = try experiment(id: source.record.experimentID)
        let configPath = try runFilePath(source, .config)
        var config = FileSystem.exists(configPath) ? try Self.readConfig(configPath) : .mapping(ConfigMapping())
        config = try config.applying(overrides: options.overrides)
        let name: ExperimentName
        if let newName = options.newExperiment {
            try checkNewExperiment(newName)
            name = newName
        } else {
            try checkRoomForNewRun(of: source, in: experiment, hint: "'cairn reproduce \(source.id) --as NEW_NAME' runs it again in a new experiment")
            name = experiment.name
        }
        let request = RunRequest(experiment: name, name: options.name ?? source.record.name, config: config,
                                 configSource: options.newExperiment == nil ? configPath : nil,
                                 configOverrides: source.record.configOverrides + options.overrides,
                                 tags: ["cairn.reproduces": source.id.value], workingDirectory: workingDirectory)
        return ReproducePlan(source: source, request: request, command: command, workingDirectory: workingDirectory,
                             newExperiment: options.newExperiment, warnings: Self.codeDifferences(of: source, in: workingDirectory))
    }

    /// Runs the plan's command as `cairn exec` does, in the new run (after making the new experiment,
    /// with the recorded config as its `config.yaml`, for `--as NEW`).
    /// - Parameters:
    ///   - plan: what ``reproducePlan(_:extraArguments:options:)`` decided.
    ///   - environment: the environment to start from.
    ///   - terminal: whether to give the command the terminal.
    ///   - onStart: called once the run exists, before the command starts.
    ///   - onOutput: each chunk the command writes.
    /// - Returns: the ended run and the outcome.
    /// - Throws: `CairnError` when the run cannot be made or the command cannot start.
    public func reproduce(_ plan: ReproducePlan, environment: [String: String], terminal: Bool = false, onStart: (Run) -> Void = { _ in },
                          onOutput: @escaping @Sendable (OutputChannel, [UInt8]) -> Void) throws(CairnError) -> (Run, ExecOutcome) {
        var request = plan.request
        if let name = plan.newExperiment {
            let record = try createExperiment(name, id: nil, parent: nil, config: Array(ConfigFile.yaml(request.config ?? .mapping(ConfigMapping())).utf8))
            request.configSource = Paths.join(absolute(try experimentFolder(record)), Self.experimentConfigName)
        }
        return try execute(request, command: plan.command, environment: environment, heartbeatSeconds: 10,
                           workingDirectory: plan.workingDirectory, terminal: terminal, onStart: onStart, onOutput: onOutput)
    }

    /// How the code in `directory` differs from what `run` recorded: another commit, or uncommitted changes
    /// then or now.
    static func codeDifferences(of run: Run, in directory: String?) -> [String] {
        guard let recorded = run.record.git else {
            return ["run \(run.id) recorded no git commit (made outside a repository, or with --no-git): the code cannot be compared"]
        }
        var warnings: [String] = []
        let current = GitProbe.probe(directory ?? Paths.currentDirectory())?.state
        if let current {
            if current.commit != recorded.commit {
                warnings.append("the code is at commit \(current.commit.prefix(12)), run \(run.id) was made at \(recorded.commit.prefix(12)): 'git checkout \(recorded.commit.prefix(12))' runs the same code")
            }
            if current.dirty { warnings.append("the working tree has uncommitted changes") }
        } else {
            warnings.append("'\(directory ?? Paths.currentDirectory())' is not in a git repository now: the code cannot be compared with commit \(recorded.commit.prefix(12))")
        }
        if recorded.dirty {
            let diff = recorded.diffFile.map { Paths.join(run.absoluteFolder, $0) }
            warnings.append("run \(run.id) was made with uncommitted changes" + (diff.map { " (its diff: \($0))" } ?? ""))
        }
        return warnings
    }
}
