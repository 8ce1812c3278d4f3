/// The content of a run's `run.json`: who ran what, when, from which code, and how it ended.
///
/// Params and tags are kept in files of their own (`params.json`, `tags.json`) so that setting one
/// never rewrites this file; it changes only when the run starts, when `cairn exec` forwards a signal
/// to its command (``forwardedSignals``), and when it ends.
public struct RunRecord: Codable, Sendable, Equatable {
    /// The version of this file's format.
    public var format: Int
    public var id: RunID
    /// An optional human name for the run.
    public var name: String?
    /// The experiment's name when the run was created.
    public var experiment: String
    public var experimentID: ExperimentID
    public var status: RunStatus
    public var startTime: Timestamp
    public var endTime: Timestamp?
    /// Wall time from start to end, in seconds.
    public var durationSeconds: Double?
    /// The exit code of the command `cairn exec` ran.
    public var exitCode: Int32?
    /// The signal that ended the command, by name (`SIGTERM`).
    public var exitSignal: String?
    /// The signals `cairn exec` forwarded to the command (SIGINT, SIGTERM, SIGHUP), oldest first;
    /// nil (absent from the file) when it forwarded none.
    public var forwardedSignals: [ForwardedSignal]?
    /// When an ended run was reopened (MLflow's `runs/update` to `RUNNING`, as `start_run(run_id=…)`
    /// sends), oldest first; nil (absent from the file) when it never was.
    public var reopenedAt: [Timestamp]?
    /// The run this one resumes (`cairn resume`, `cairn exec --resume`): its training loaded that run's
    /// checkpoint. Not MLflow's nested-run parent (a tag). Nil (absent from the file) for a fresh run.
    public var resumedFrom: RunID?
    public var host: String
    public var user: String
    /// The process that created the run.
    public var pid: Int32
    /// The command line (of `cairn exec`'s child, or of the process that created the run).
    public var command: [String]
    /// The working directory the run was created from.
    public var workingDirectory: String?
    public var git: GitState?
    /// The config file given with `--config`, as an absolute path.
    public var configSource: String?
    /// The `--set key=value` overrides applied to it, as given.
    public var configOverrides: [String]
    /// The layout that named the run's paths.
    public var layout: String

    public init(id: RunID, name: String?, experiment: String, experimentID: ExperimentID, status: RunStatus,
                startTime: Timestamp, host: String, user: String, pid: Int32, command: [String],
                workingDirectory: String?, git: GitState?, configSource: String?, configOverrides: [String],
                layout: String) {
        self.format = 1
        self.id = id
        self.name = name
        self.experiment = experiment
        self.experimentID = experimentID
        self.status = status
        self.startTime = startTime
        self.host = host
        self.user = user
        self.pid = pid
        self.command = command
        self.workingDirectory = workingDirectory
        self.git = git
        self.configSource = configSource
        self.configOverrides = configOverrides
        self.layout = layout
    }

    enum CodingKeys: String, CodingKey {
        case format, id, name, experiment, status, host, user, pid, command, git, layout
        case experimentID = "experiment_id"
        case startTime = "start_time"
        case endTime = "end_time"
        case durationSeconds = "duration_seconds"
        case exitCode = "exit_code"
        case exitSignal = "exit_signal"
        case forwardedSignals = "forwarded_signals"
        case reopenedAt = "reopened_at"
        case resumedFrom = "resumed_from"
        case workingDirectory = "working_directory"
        case configSource = "config_source"
        case configOverrides = "config_overrides"
    }
}

extension RunRecord {
    /// Reopens an ended run's record (MLflow's `runs/update` to RUNNING, `cairn resume --continue`):
    /// RUNNING again, end time, duration, exit code and signal cleared, `time` added to ``reopenedAt``.
    /// - Parameter time: when it was reopened.
    public mutating func reopen(at time: Timestamp) {
        status = .running
        endTime = nil
        durationSeconds = nil
        exitCode = nil
        exitSignal = nil
        reopenedAt = (reopenedAt ?? []) + [time]
    }
}
