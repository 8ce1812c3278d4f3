import Glibc
import CairnCore
import CairnFormats

extension Store {
    /// Decides how to resume a training (`cairn resume`), checking everything before anything runs: the
    /// source run (a run, or an experiment's latest run), its newest complete checkpoint, the command, the
    /// config with its resume fields (see ``ResumeFields``), and the new run or experiment.
    /// - Parameters:
    ///   - target: the run, or the experiment whose latest run is resumed.
    ///   - options: new run (default), `--continue`, or `--as NEW`; a command; overrides.
    /// - Returns: the plan, for ``resume(_:environment:terminal:onStart:onOutput:)``.
    /// - Throws: `CairnError`: `.notFound` when there is no run or no checkpoint; `.conflict` when the
    ///   source's owner is alive (without `force`), when a new run has no folder of its own (layouts with
    ///   one run per experiment: use `--as NEW` or `--continue`), or when NEW exists; `.invalidValue` when
    ///   the command is unknown (a run not made by `cairn exec`) or options clash; `.invalidConfig` for a
    ///   bad override.
    public func resumePlan(_ target: ExperimentOrRun, options: ResumeOptions) throws(CairnError) -> ResumePlan {
        let source = try sourceRun(target)
        let liveness = liveness(of: source.record)
        if liveness == .alive && !options.force {
            throw CairnError(.conflict, "run \(source.id) is still RUNNING (pid \(source.record.pid) on \(source.record.host)): it cannot be resumed while it runs",
                             hint: "wait for it to end or stop it; --force resumes anyway")
        }
        let checkpoint: CairnAPI.Checkpoint
        do throws(CairnError) {
            checkpoint = try latestCheckpoint(of: source)
        } catch where error.kind == .notFound {
            throw CairnError(.notFound, "run \(source.id) has no checkpoint to resume from",
                             hint: "'cairn reproduce \(source.id)' runs its command again from the start")
        }
        let command: [String]
        if let given = options.command { command = given } else { command = try Self.recordedCommand(of: source) }
        let workingDirectory = source.record.workingDirectory.flatMap { FileSystem.isDirectory($0) ? $0 : nil }
        let experiment = try experiment(id: source.record.experimentID)
        let sourceConfigPath = try runFilePath(source, .config)
        let sourceConfig = FileSystem.exists(sourceConfigPath) ? try Self.readConfig(sourceConfigPath) : .mapping(ConfigMapping())
        let environment = ResumePlan.environment(for: checkpoint, source: source.id)
        if options.continueRun {
            if options.newExperiment != nil {
                throw CairnError(.invalidValue, "--continue reopens run \(source.id); --as makes a new experiment: give one of them", hint: "drop --continue or --as")
            }
            if !options.overrides.isEmpty {
                throw CairnError(.invalidValue, "--continue keeps run \(source.id)'s config; --set needs a new run", hint: "drop --set, or resume in a new run (without --continue)")
            }
            return ResumePlan(mode: .continueRun, source: source, checkpoint: checkpoint, command: command, workingDirectory: workingDirectory,
                              config: sourceConfig, request: nil, environment: environment)
        }
        let overridden = try sourceConfig.applying(overrides: options.overrides)
        var request: RunRequest
        let mode: ResumePlan.Mode
        let config: ConfigValue
        if let newName = options.newExperiment {
            try checkNewExperiment(newName)
            // As seed projects' generators write it: the checkpoint relative to the resumed experiment's folder.
            config = ResumeFields.apply(to: try namingSection(of: overridden, for: newName), checkpointPath: Self.relativePath(checkpoint.path, to: source.absoluteFolder),
                                        sourceName: try experimentShortName(experiment))
            request = RunRequest(experiment: newName, name: options.name, config: config, configOverrides: options.overrides,
                                 workingDirectory: workingDirectory)
            mode = .newExperiment(newName)
        } else {
            try checkRoomForNewRun(of: source, in: experiment,
                                   hint: "'cairn resume \(source.id) --as NEW_NAME' clones the experiment and resumes there; --continue reopens the run")
            config = ResumeFields.apply(to: overridden, checkpointPath: checkpoint.path, sourceName: nil)
            request = RunRequest(experiment: experiment.name, name: options.name ?? source.record.name, config: config,
                                 configSource: sourceConfigPath, configOverrides: options.overrides, workingDirectory: workingDirectory)
            mode = .newRun
        }
        request.resumedFrom = source.id
        return ResumePlan(mode: mode, source: source, checkpoint: checkpoint, command: command, workingDirectory: workingDirectory,
                          config: config, request: request, environment: environment)
    }

    /// Resumes as planned: runs the command as `cairn exec` does (lease, log, signals, status), with
    /// the plan's variables in its environment, in a new run, a new experiment's run, or the source
    /// run reopened (its end cleared, the time added to `reopened_at`, a new lease taken).
    /// - Parameters:
    ///   - plan: what ``resumePlan(_:options:)`` decided.
    ///   - environment: the environment to start from (the CLI passes its own).
    ///   - terminal: whether to give the command the terminal (see `execute`).
    ///   - onStart: called once the run is ready, before the command starts.
    ///   - onOutput: each chunk the command writes.
    /// - Returns: the ended run and the outcome.
    /// - Throws: `CairnError` when the run cannot be made or reopened, or the command cannot start.
    public func resume(_ plan: ResumePlan, environment: [String: String], terminal: Bool = false, onStart: (Run) -> Void = { _ in },
                       onOutput: @escaping @Sendable (OutputChannel, [UInt8]) -> Void) throws(CairnError) -> (Run, ExecOutcome) {
        let env = environment.merging(plan.environment) { $1 }
        let heartbeat = 10.0
        switch plan.mode {
        case .continueRun:
            let run = try reopen(plan.source, owner: LeaseOwner(pid: getpid(), heartbeatIntervalSeconds: heartbeat),
                                 fromStep: plan.checkpoint.step)
            return try supervise(run, command: plan.command, environment: env, heartbeatSeconds: heartbeat,
                                 workingDirectory: plan.workingDirectory, terminal: terminal, onStart: onStart, onOutput: onOutput)
        case .newRun, .newExperiment:
            guard var request = plan.request else {
                throw CairnError(.invalidValue, "the resume plan has no new run", hint: "make the plan with resumePlan(_:options:)")
            }
            if case .newExperiment(let name) = plan.mode {
                let record = try createExperiment(name, id: nil, parent: nil, config: Array(ConfigFile.yaml(plan.config).utf8))
                request.configSource = Paths.join(absolute(try experimentFolder(record)), Self.experimentConfigName)
            }
            return try execute(request, command: plan.command, environment: env, heartbeatSeconds: heartbeat,
                               workingDirectory: plan.workingDirectory, terminal: terminal, onStart: onStart, onOutput: onOutput)
        }
    }

    /// The run a word of `resume` or `reproduce` names: the run, or the experiment's latest run.
    func sourceRun(_ target: ExperimentOrRun) throws(CairnError) -> Run {
        switch target {
        case .run(let run): return run
        case .experiment(let experiment):
            guard let latest = try latestRun(in: experiment) else {
                throw CairnError(.notFound, "the experiment '\(experiment.name)' has no run yet", hint: "start one with 'cairn exec -e \(experiment.name) -- COMMAND'")
            }
            return try run(at: latest)
        }
    }

    /// Refuses `--as NEW` before anything runs: NEW exists, clashes with a group, or the layout cannot name it.
    func checkNewExperiment(_ name: ExperimentName) throws(CairnError) {
        let all = try experiments()
        if let existing = all.first(where: { $0.name == name }) {
            throw CairnError(.alreadyExists, "the experiment '\(name)' already exists (id \(existing.id))", hint: "give --as a new experiment's name")
        }
        try Self.checkNoClash(name, with: all)
        _ = try layout.render(.experiment, try layout.experimentFields(for: name, id: ExperimentID(0)))
    }

    /// Refuses a new run of `source`'s experiment in layouts that keep one run per experiment folder
    /// (the source's folder is the experiment's): the new run would have no folder of its own.
    func checkRoomForNewRun(of source: Run, in experiment: ExperimentRecord, hint: String) throws(CairnError) {
        if source.folder == (try experimentFolder(experiment)) {
            throw CairnError(.conflict, "the layout '\(layout.name)' keeps one run per experiment folder: a new run of '\(experiment.name)' would have no folder of its own",
                             hint: hint)
        }
    }

    /// The command a run recorded, unless it is Cairn's own (a run made by `cairn run new`) or none.
    static func recordedCommand(of run: Run) throws(CairnError) -> [String] {
        let command = run.record.command
        guard let program = command.first, Paths.lastComponent(program) != "cairn" else {
            let shown = command.isEmpty ? "none" : "'" + command.joined(separator: " ") + "'"
            throw CairnError(.invalidValue, "run \(run.id) was not started by 'cairn exec' (its recorded command is \(shown)), so there is no training command to run again",
                             hint: "give the command after '--', e.g. cairn resume \(run.id) -- python train.py")
        }
        return command
    }

    /// `path` relative to `folder` when it lies inside it, else `path`.
    static func relativePath(_ path: String, to folder: String) -> String {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
