import Glibc
import CairnCore

/// How a command run by `cairn exec` ended, and the run status that follows.
public struct ExecOutcome: Sendable, Equatable {
    /// The exit code, when the command exited.
    public var exitCode: Int32?
    /// The signal that killed the command, when it was killed.
    public var signal: Int32?
    /// The last signal `exec` forwarded to the command's process group, if any.
    public var forwardedSignal: Int32?
    /// Every terminating signal `exec` forwarded (SIGINT, SIGTERM, SIGHUP), oldest first, as `run.json`
    /// records them.
    public var forwardedSignals: [ForwardedSignal] = []
    /// Wall time from start to end, in seconds.
    public var durationSeconds: Double

    /// The run status for this end: `FINISHED` for exit code 0; `KILLED` when the command was stopped
    /// from outside (SIGINT, SIGTERM, SIGHUP, SIGKILL, SIGQUIT) or `exec` forwarded it a signal;
    /// `FAILED` otherwise (the mapping is documented on `RunStatus`).
    public var status: RunStatus {
        if exitCode == 0 { return .finished }
        if let signal { return Self.externalSignals.contains(signal) || forwardedSignal != nil ? .killed : .failed }
        return forwardedSignal != nil ? .killed : .failed
    }

    /// The exit code `cairn exec` itself returns: the command's, or 128 + the signal number.
    public var shellExitCode: Int32 {
        if let exitCode { return exitCode }
        if let signal { return 128 + signal }
        return 1
    }

    /// Signals that mean "stopped from outside" rather than "crashed".
    static let externalSignals: Set<Int32> = [SIGINT, SIGTERM, SIGHUP, SIGKILL, SIGQUIT]

    /// The conventional name of a signal (`SIGTERM`), or `SIG<number>`.
    /// - Parameter signal: the signal's number.
    /// - Returns: its name.
    public static func name(ofSignal signal: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
                                      SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                      SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2",
                                      SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU",
                                      SIGXFSZ: "SIGXFSZ"]
        return names[signal] ?? "SIG\(signal)"
    }
}
