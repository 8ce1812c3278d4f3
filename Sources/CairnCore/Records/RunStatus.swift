/// Where a run is in its life. The names match MLflow's `RunStatus`.
///
/// `cairn exec` maps the child's end to a status: exit code 0 → ``finished``; a non-zero exit code or
/// death by a crash signal (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, …) → ``failed``; death by
/// SIGINT, SIGTERM, SIGHUP, SIGQUIT or SIGKILL, or any non-zero end after `exec` forwarded SIGINT, SIGTERM or SIGHUP
/// to it → ``killed``.
///
/// ``scheduled`` is a run that was set up but never trained: an adopted experiment folder holding only
/// its generated `config.yaml`.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"

    /// True once the run has ended (finished, failed or killed).
    public var isTerminal: Bool {
        switch self {
        case .finished, .failed, .killed: true
        case .running, .scheduled: false
        }
    }
}
