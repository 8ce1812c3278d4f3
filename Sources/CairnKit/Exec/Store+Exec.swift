import CairnCore

extension Store {
    /// The environment variables `cairn exec` gives the command (and so every process it starts).
    public static let runEnvironmentKeys = ["CAIRN_STORE", "CAIRN_EXPERIMENT", "CAIRN_RUN_ID", "CAIRN_RUN_DIR"]

    /// Creates a run for `command`, runs it under the run's lease, tees its output into the run's log,
    /// and sets the final status from how it ended (see ``RunStatus`` for the mapping).
    /// - Parameters:
    ///   - request: the run to create; its owner is replaced by this process, with a heartbeat.
    ///   - command: the program and its arguments.
    ///   - environment: the environment to start from (the CLI passes its own).
    ///   - onStart: called once the run exists, before the command starts.
    ///   - onOutput: each chunk the command writes, as it comes.
    /// - Returns: the ended run and the outcome.
    public func execute(_ request: RunRequest, command: [String], environment: [String: String],
                        onStart: (Run) -> Void = { _ in },
                        onOutput: @escaping @Sendable (OutputStream, [UInt8]) -> Void) throws(CairnError) -> (Run, ExecOutcome) {
        var request = request
        request.owner = LeaseOwner(pid: LeaseOwner.currentProcess.pid, heartbeatIntervalSeconds: 10)
        request.command = command
        let run = try createRun(request)
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
            let store = self
            let child = ChildProcess(command: command, environment: env, onOutput: onOutput,
                                     onLines: { stream, lines, time in log.write(lines, stream: stream, at: time) },
                                     heartbeatSeconds: 10,
                                     onHeartbeat: { try? store.heartbeat(run.id) })
            outcome = try child.run()
            log.sync()
        } catch {
            _ = try? endRun(location, status: .failed, exitCode: 127)
            throw error
        }
        let ended = try endRun(location, status: outcome.status, exitCode: outcome.exitCode,
                               exitSignal: outcome.signal.map(ExecOutcome.name(ofSignal:)))
        return (ended, outcome)
    }

    /// The absolute path of one of a run's files, with every field the run has (its start time,
    /// name and id besides its experiment's).
    public func runFilePath(_ run: Run, _ role: LayoutRole) throws(CairnError) -> String {
        if let sidecar = sidecarPath(run.id, role) { return sidecar }
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        let experiment = try experiment(id: run.record.experimentID)
        let fields = try runFields(experiment: experiment, id: run.id, name: run.record.name,
                                   start: run.record.startTime, extra: [:], layout: runLayout)
        return Paths.join(run.absoluteFolder, try runLayout.render(role, fields))
    }
}
