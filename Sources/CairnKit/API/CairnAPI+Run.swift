import CairnCore

extension CairnAPI {
    /// A run: its record and whether its owner still lives (`run ls`, `run new`, `run finish`, `exec`,
    /// `latest`). ``RunDetails`` adds params and tags (`run show`).
    public struct Run: Codable, Sendable, Equatable {
        /// The run's id (UTC start time to the millisecond and 4 random characters).
        public var id: RunID
        /// The human name given at creation, if any.
        public var name: String?
        /// The experiment's name when the run was created.
        public var experiment: String
        /// The experiment's stable id.
        public var experimentID: ExperimentID
        /// `RUNNING`, `FINISHED`, `FAILED` or `KILLED`.
        public var status: RunStatus
        /// For a `RUNNING` run: `alive`, `owner-dead` or `unknown`; `ended` otherwise.
        public var liveness: RunLiveness
        /// When the run was created.
        public var startTime: Timestamp
        /// When it ended, or null while it is `RUNNING`.
        public var endTime: Timestamp?
        /// Wall time from start to end, in seconds.
        public var durationSeconds: Double?
        /// The exit code of the command `cairn exec` ran.
        public var exitCode: Int32?
        /// The signal that ended that command, by name (`SIGTERM`).
        public var exitSignal: String?
        /// The signals `cairn exec` forwarded to the command (SIGINT, SIGTERM, SIGHUP) and when, oldest
        /// first; empty when none (a run that finished after a SIGTERM was preempted).
        public var forwardedSignals: [ForwardedSignal]
        /// The run folder, absolute.
        public var folder: String
        /// The user that created the run.
        public var user: String
        /// The host it was created on.
        public var host: String
        /// The process that created the run.
        public var pid: Int32
        /// The command line.
        public var command: [String]
        /// The working directory the run was created from, absolute.
        public var workingDirectory: String?
        /// The git commit, branch and whether the tree was dirty, when recorded.
        public var git: GitState?
        /// The config file given with `--config`, absolute.
        public var configSource: String?
        /// The `--set` overrides, as given.
        public var configOverrides: [String]
        /// The layout that named the run's paths.
        public var layout: String
        /// The run this one resumes (`cairn resume`, `cairn exec --resume`); null for a fresh run.
        public var resumedFrom: RunID?
        /// The values of the columns `run ls --columns` asked for (`params.lr`, ``metrics.`eval/loss` ``),
        /// by the column as given, null where the run lacks it; absent when none were asked for.
        public var columns: [String: ConfigValue]?

        /// A run as a store read it.
        /// - Parameters:
        ///   - run: the run's record and folder.
        ///   - liveness: whether its owner lives (``CairnKit/Store/liveness(of:)``).
        public init(_ run: CairnKit.Run, liveness: RunLiveness) {
            let record = run.record
            id = record.id
            name = record.name
            experiment = record.experiment
            experimentID = record.experimentID
            status = record.status
            self.liveness = liveness
            startTime = record.startTime
            endTime = record.endTime
            durationSeconds = record.durationSeconds
            exitCode = record.exitCode
            exitSignal = record.exitSignal
            forwardedSignals = record.forwardedSignals ?? []
            folder = run.absoluteFolder
            user = record.user
            host = record.host
            pid = record.pid
            command = record.command
            workingDirectory = record.workingDirectory
            git = record.git
            configSource = record.configSource
            configOverrides = record.configOverrides
            layout = record.layout
            resumedFrom = record.resumedFrom
        }

        /// A run listed with its liveness.
        /// - Parameter summary: the run and its liveness, as ``CairnKit/Store/runs(in:)`` lists them.
        public init(_ summary: RunSummary) {
            self.init(summary.run, liveness: summary.liveness)
        }

        enum CodingKeys: String, CodingKey {
            case id, name, experiment, status, liveness, folder, user, host, pid, command, git, layout
            case experimentID = "experiment_id"
            case startTime = "start_time"
            case endTime = "end_time"
            case durationSeconds = "duration_seconds"
            case exitCode = "exit_code"
            case exitSignal = "exit_signal"
            case forwardedSignals = "forwarded_signals"
            case workingDirectory = "working_directory"
            case configSource = "config_source"
            case configOverrides = "config_overrides"
            case resumedFrom = "resumed_from"
            case columns
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(experiment, forKey: .experiment)
            try c.encode(experimentID, forKey: .experimentID)
            try c.encode(status, forKey: .status)
            try c.encode(liveness, forKey: .liveness)
            try c.encode(startTime, forKey: .startTime)
            try c.encode(endTime, forKey: .endTime)
            try c.encode(durationSeconds, forKey: .durationSeconds)
            try c.encode(exitCode, forKey: .exitCode)
            try c.encode(exitSignal, forKey: .exitSignal)
            try c.encode(forwardedSignals, forKey: .forwardedSignals)
            try c.encode(folder, forKey: .folder)
            try c.encode(user, forKey: .user)
            try c.encode(host, forKey: .host)
            try c.encode(pid, forKey: .pid)
            try c.encode(command, forKey: .command)
            try c.encode(workingDirectory, forKey: .workingDirectory)
            try c.encode(git, forKey: .git)
            try c.encode(configSource, forKey: .configSource)
            try c.encode(configOverrides, forKey: .configOverrides)
            try c.encode(layout, forKey: .layout)
            try c.encode(resumedFrom, forKey: .resumedFrom)
            try c.encodeIfPresent(columns, forKey: .columns)
        }
    }
}
