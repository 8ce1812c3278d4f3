import CairnCore
import Logging

extension Store {
    /// The environment variables `cairn exec` gives the command (and so every process it starts).
    public static let runEnvironmentKeys = ["CAIRN_STORE", "CAIRN_EXPERIMENT", "CAIRN_RUN_ID", "CAIRN_RUN_DIR", "CAIRN_SOCKET"]

    /// Creates a run for `command`, runs it under the run's lease, tees its output into the run's log,
    /// and sets the final status from how it ended (see ``ExecOutcome/status`` for the mapping).
    ///
    /// While the command runs, this process forwards SIGINT, SIGTERM and SIGHUP to its process group
    /// (then SIGCONT, so that a stopped command gets them), and records each in `run.json`'s
    /// `forwarded_signals` right after forwarding it; it forwards SIGTSTP, and continues the command when
    /// continued itself. With `terminal`, it also hands the command the terminal on standard input, as
    /// a shell does for a foreground job (``JobSupervisor`` describes the job control).
    ///
    /// A heartbeat, a log write or a record of a forwarded signal that fails while the command runs does
    /// not stop it: the first failure of each streak is logged as a warning to ``logger``.
    /// - Parameters:
    ///   - request: the run to create; its owner is replaced by this process, with a heartbeat.
    ///   - command: the program and its arguments.
    ///   - environment: the environment to start from (the CLI passes its own).
    ///   - terminal: whether to give the command the terminal on standard input, when there is one (the
    ///     CLI passes true; a program that embeds CairnKit and uses the terminal itself passes false).
    ///   - onStart: called once the run exists, before the command starts.
    ///   - onOutput: each chunk the command writes, as it comes.
    /// - Returns: the ended run and the outcome.
    /// - Throws: `CairnError` when the run cannot be created, the command cannot be started (the run
    ///   then ends FAILED with exit code 127), or the run cannot be ended.
    public func execute(_ request: RunRequest, command: [String], environment: [String: String],
                        terminal: Bool = false, onStart: (Run) -> Void = { _ in },
                        onOutput: @escaping @Sendable (OutputChannel, [UInt8]) -> Void) throws(CairnError) -> (Run, ExecOutcome) {
        try execute(request, command: command, environment: environment, heartbeatSeconds: 10, terminal: terminal,
                    onStart: onStart, onOutput: onOutput)
    }

    /// ``execute(_:command:environment:terminal:onStart:onOutput:)`` with the heartbeat's interval (tests shorten it).
    func execute(_ request: RunRequest, command: [String], environment: [String: String], heartbeatSeconds: Double,
                 workingDirectory: String? = nil, terminal: Bool = false, onStart: (Run) -> Void = { _ in },
                 onOutput: @escaping @Sendable (OutputChannel, [UInt8]) -> Void) throws(CairnError) -> (Run, ExecOutcome) {
        var request = request
        request.owner = LeaseOwner(pid: LeaseOwner.currentProcess.pid, heartbeatIntervalSeconds: heartbeatSeconds)
        request.command = command
        let run = try createRun(request)
        return try supervise(run, command: command, environment: environment, heartbeatSeconds: heartbeatSeconds,
                             workingDirectory: workingDirectory, terminal: terminal, onStart: onStart, onOutput: onOutput)
    }

    /// Runs `command` for a run that exists and is RUNNING under this process's lease (just created, or
    /// reopened): as ``execute(_:command:environment:terminal:onStart:onOutput:)`` does after creating it.
    func supervise(_ run: Run, command: [String], environment: [String: String], heartbeatSeconds: Double,
                   workingDirectory: String? = nil, terminal: Bool = false, onStart: (Run) -> Void = { _ in },
                   onOutput: @escaping @Sendable (OutputChannel, [UInt8]) -> Void) throws(CairnError) -> (Run, ExecOutcome) {
        onStart(run)
        let location = try resolveRun(run.id.value)
        let outcome: ExecOutcome
        do {
            let log = try RunLogWriter(path: try runFilePath(run, .log))
            var env = environment
            env["CAIRN_STORE"] = root
            env["CAIRN_EXPERIMENT"] = run.record.experiment
            env["CAIRN_RUN_ID"] = run.id.value
            env["CAIRN_RUN_DIR"] = run.absoluteFolder
            // The run's agent (the Python client's channel), on a socket whose path the command inherits.
            // A socket that cannot be made is a warning: the command runs, its clients start agents instead.
            let store = self
            var agent: AgentServer?
            do throws(CairnError) {
                agent = try AgentServer(run: run.id, environment: environment) { () throws(CairnError) in
                    try AgentSession(store: store, run: run, ownsRun: false)
                }
            } catch {
                logger.warning("run \(run.id): no agent socket for the command's Python client (\(error.messageWithCause)); the client starts its own agent",
                               metadata: ["run_id": "\(run.id)"])
            }
            if let agent {
                env["CAIRN_SOCKET"] = agent.path
                agent.start()
            } else {
                env["CAIRN_SOCKET"] = nil
            }
            let child = ChildProcess(command: command, environment: env, clock: clock, onOutput: onOutput,
                                     onLines: logWriter(log, run: run.id), heartbeatSeconds: heartbeatSeconds,
                                     onHeartbeat: heartbeat(of: run.id), terminal: terminal,
                                     onForwarded: signalRecorder(location), workingDirectory: workingDirectory)
            let ran = Result { () throws(CairnError) in try child.run() }
            // What the command's clients handed over is on disk before the run ends.
            agent?.stop()
            if let session = agent?.session {
                do throws(CairnError) {
                    try session.close(status: .finished)
                } catch {
                    logger.warning("run \(run.id): what the command handed to Cairn could not all be written: \(error.messageWithCause)",
                                   metadata: ["run_id": "\(run.id)"])
                }
            }
            outcome = try ran.get()
            log.sync()
        } catch {
            do throws(CairnError) {
                try endRun(location, status: .failed, exitCode: 127)
            } catch let ending {
                logger.warning("run \(run.id) could not be marked FAILED (\(ending.messageWithCause)); it stays RUNNING until 'cairn run fail \(run.id)'",
                               metadata: ["run_id": "\(run.id)"])
            }
            throw error
        }
        let ended = try endRun(location, status: outcome.status, exitCode: outcome.exitCode,
                               exitSignal: outcome.signal.map(ExecOutcome.name(ofSignal:)),
                               forwardedSignals: outcome.forwardedSignals)
        return (ended, outcome)
    }

    /// Appends the command's lines to the run's log; a write that fails is logged once per streak.
    private func logWriter(_ log: RunLogWriter, run id: RunID) -> @Sendable (OutputChannel, [[UInt8]], Timestamp) -> Void {
        let failures = FaultStreak()
        let logger = logger
        return { stream, lines, time in
            guard let code = log.write(lines, stream: stream, at: time) else { return failures.succeeded() }
            guard failures.failed() else { return }
            let error = SystemError.make("append to the log", path: log.path, errno: code)
            logger.warning("\(error.messageWithCause) (run \(id)); the command goes on, and its output is not logged until a write succeeds",
                           metadata: ["run_id": "\(id)", "path": "\(log.path)"])
        }
    }

    /// Records each forwarded signal in the run's `run.json`; a record that fails is logged once per streak
    /// (the run's end records them all again).
    private func signalRecorder(_ location: RunLocation) -> (ForwardedSignal) -> Void {
        let failures = FaultStreak()
        return { signal in
            do throws(CairnError) {
                try self.recordForwardedSignal(signal, in: location)
                failures.succeeded()
            } catch {
                guard failures.failed() else { return }
                self.logger.warning("cannot record the \(signal.signal) forwarded to run \(location.id): \(error.messageWithCause); the run's end records it",
                                    metadata: ["run_id": "\(location.id)"])
            }
        }
    }

    /// Appends a forwarded signal to a RUNNING run's `run.json`, atomically, under the run's lock.
    func recordForwardedSignal(_ signal: ForwardedSignal, in location: RunLocation) throws(CairnError) {
        try checkWritable()
        try withRunLock(location.id) { () throws(CairnError) in
            var record = try run(at: location).record
            guard record.status == .running else { return }
            record.forwardedSignals = (record.forwardedSignals ?? []) + [signal]
            try AtomicFile.write(try JSONCoding.encode(record), to: try runFilePath(location, .runRecord))
        }
    }

    /// Records the run's heartbeat; a heartbeat that fails is logged once per streak.
    private func heartbeat(of id: RunID) -> @Sendable () -> Void {
        let failures = FaultStreak()
        let store = self
        return {
            do throws(CairnError) {
                try store.heartbeat(id)
                failures.succeeded()
            } catch {
                guard failures.failed() else { return }
                store.logger.warning("cannot record the heartbeat of run \(id): \(error.messageWithCause); the command goes on, but other hosts may take the run's owner for dead until a heartbeat succeeds",
                                     metadata: ["run_id": "\(id)", "path": "\(store.leasePath(id))"])
            }
        }
    }

    /// The absolute path of one of a run's files, with every field the run has (its start time,
    /// name and id besides its experiment's). In an adopted store, Cairn's own files (`run.json`,
    /// `params.json`, `tags.json`, `git.diff`, the checkpoint manifest) are under `.cairn/runs/<run id>/`.
    /// - Parameters:
    ///   - run: the run.
    ///   - role: the file's role in the layout (`.log`, `.config`, `.tags`…).
    /// - Returns: the path, absolute; the file may not exist.
    /// - Throws: `CairnError` when the run's layout cannot name the file (a layout error) or its
    ///   experiment's record cannot be read.
    public func runFilePath(_ run: Run, _ role: LayoutRole) throws(CairnError) -> String {
        if let sidecar = sidecarPath(run.id, role) { return sidecar }
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        let experiment = try experiment(id: run.record.experimentID)
        let fields = try runFields(experiment: experiment, id: run.id, name: run.record.name,
                                   start: run.record.startTime, extra: [:], layout: runLayout)
        do throws(CairnError) {
            return Paths.join(run.absoluteFolder, try runLayout.render(role, fields))
        } catch {
            // An adopted tree may name the file by a field the run does not have (Hydra's log, named
            // after its job): the file in the run folder that the role's template matches.
            guard settings.adopted, let found = try adoptedRunFile(run, role, layout: runLayout) else { throw error }
            return found
        }
    }

    /// The first file (by path) in an adopted run's folder that the role's template matches, if any.
    private func adoptedRunFile(_ run: Run, _ role: LayoutRole, layout: Layout) throws(CairnError) -> String? {
        guard FileSystem.isDirectory(run.absoluteFolder) else { return nil }
        let listing = try TreeWalker.walk(run.absoluteFolder)
        return listing.files.sorted().first { layout.match(role, $0) != nil }.map { Paths.join(run.absoluteFolder, $0) }
    }
}
