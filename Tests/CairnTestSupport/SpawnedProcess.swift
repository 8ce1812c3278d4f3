#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A child process started with posix_spawn and reaped with waitpid, for tests that signal
/// processes (Foundation's Process can miss the exit of a child killed at once).
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    private var reaped: Int32?

    /// Starts `executable` with `arguments`; stdout goes to `outputFile`, stderr to `errorFile` (or /dev/null).
    public init(_ executable: String, _ arguments: [String], outputFile: String? = nil, errorFile: String? = nil,
                environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let target = outputFile ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorFile ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        pid = child
    }

    /// Sends `signal`, unless the process has been reaped (its pid may belong to another process by then).
    public func signal(_ signal: Int32) {
        if reaped == nil { kill(pid, signal) }
    }

    /// Waits for the process to end; returns the raw wait status.
    @discardableResult
    public func wait() -> Int32 {
        if let reaped { return reaped }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = status
        return status
    }

    /// Whether the process has ended, without waiting (reaps it if it has).
    public var hasEnded: Bool {
        if reaped != nil { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { reaped = status; return true }
        return false
    }

    /// The exit code, if the process exited (rather than being killed by a signal).
    public var exitCode: Int32? {
        let status = wait()
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil
    }
}
