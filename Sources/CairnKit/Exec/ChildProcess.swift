import Glibc
import Dispatch
import Foundation
import Synchronization
import CCairnNative
import CairnCore

/// Runs a command in its own process group, tees its stdout and stderr, forwards SIGINT, SIGTERM,
/// SIGHUP (then SIGCONT) and SIGTSTP to the group (``SignalRelay``), gives it the terminal and does a
/// shell's job control when asked (``JobSupervisor``), and reports how it ended.
struct ChildProcess {
    var command: [String]
    var environment: [String: String]
    /// Where the times of log lines and of the start and end come from (the store's clock).
    var clock: any WallClock
    /// Called with each chunk the child writes, as it arrives (the CLI passes it through).
    var onOutput: @Sendable (OutputChannel, [UInt8]) -> Void
    /// Called with complete lines for the log, and when they were read.
    var onLines: @Sendable (OutputChannel, [[UInt8]], Timestamp) -> Void
    /// Called every `heartbeatSeconds` while the child runs.
    var heartbeatSeconds: Double = 10
    var onHeartbeat: @Sendable () -> Void = {}
    /// Whether to hand the command the terminal on standard input, when there is one.
    var terminal = false
    /// Called on the waiting thread with each terminating signal forwarded, after it was forwarded.
    var onForwarded: (ForwardedSignal) -> Void = { _ in }
    /// The folder the command starts in; nil for this process's.
    var workingDirectory: String?

    /// How long to keep draining the pipes after the child exits (a grandchild may hold them open).
    static let drainSeconds = 2.0

    func run() throws(CairnError) -> ExecOutcome {
        guard let program = command.first else {
            throw CairnError(.invalidValue, "no command to run", hint: "write the command after '--', e.g. cairn exec -e EXP -- python train.py")
        }
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw SystemError.make("create a pipe for", path: program)
        }
        // Only the child's copies (dup2'ed to 1 and 2) may survive exec.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        if let workingDirectory {
            guard FileSystem.isDirectory(workingDirectory) else {
                for fd in outPipe + errPipe { close(fd) }
                throw CairnError(.notFound, "the folder '\(workingDirectory)' to run '\(program)' in does not exist",
                                 hint: "run it from another folder with '-- COMMAND', or recreate the folder")
            }
            _ = cairn_spawn_add_chdir(&actions, workingDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default dispositions for what this process handles or ignores, as a shell gives its jobs.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT] { sigaddset(&defaults, sig) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // With the terminal, the command's group gets the foreground in the command's own process,
        // before it runs a line, as a shell's job does (glibc 2.35 and later; else right after the
        // spawn, in ``JobSupervisor``).
        let tty: Int32? = terminal && isatty(STDIN_FILENO) == 1 ? STDIN_FILENO : nil
        let handedAtSpawn = tty.map { tcgetpgrp($0) == getpgrp() && JobSupervisor.handOnSpawn(&actions, terminal: $0) } ?? false

        // Relay signals to the command from before it starts; afterwards, the dispositions in force
        // before are restored.
        let slot = try SignalRelay.register()
        defer { SignalRelay.release(slot) }
        let threadMask = SignalRelay.unblockInThisThread()
        defer { SignalRelay.restoreMask(threadMask) }

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        let start = clock.now()
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            // The child may have taken the terminal before its program failed to start.
            if let tty, handedAtSpawn, tcgetpgrp(tty) != getpgrp() { tcsetpgrp(tty, getpgrp()) }
            if spawned == ENOENT {
                throw CairnError(.notFound, "the command '\(program)' was not found", hint: "check its name and your PATH")
            }
            if spawned == EACCES {
                throw CairnError(.permissionDenied, "the command '\(program)' cannot be executed", hint: "check that it is an executable file")
            }
            throw SystemError.make("start the command", path: program, errno: spawned)
        }

        SignalRelay.setGroup(pid, of: slot)
        let state = DrainState()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + heartbeatSeconds, repeating: heartbeatSeconds)
        let heartbeat = onHeartbeat
        timer.setEventHandler { heartbeat() }
        timer.resume()

        let readers = DispatchGroup()
        for (fd, stream) in [(outPipe[0], OutputChannel.stdout), (errPipe[0], OutputChannel.stderr)] {
            readers.enter()
            let thread = Thread { [clock, onOutput, onLines] in
                Self.pump(fd: fd, stream: stream, state: state, clock: clock, onOutput: onOutput, onLines: onLines)
                close(fd)
                readers.leave()
            }
            thread.start()
        }

        let waited = JobSupervisor(pid: pid, slot: slot, terminal: tty, handedAtSpawn: handedAtSpawn, clock: clock,
                                   onForwarded: onForwarded).run()
        let status = waited.status
        state.markExited()
        readers.wait()
        timer.cancel()

        let end = clock.now()
        let exited = (status & 0x7F) == 0
        let exitCode: Int32? = exited ? (status >> 8) & 0xFF : nil
        let signalNumber: Int32? = exited ? nil : status & 0x7F
        return ExecOutcome(exitCode: exitCode, signal: signalNumber, forwardedSignal: waited.forwarded.last?.number,
                           forwardedSignals: waited.forwarded.map(\.record),
                           durationSeconds: Double(end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000)
    }

    private static func pump(fd: Int32, stream: OutputChannel, state: DrainState, clock: any WallClock,
                             onOutput: @Sendable (OutputChannel, [UInt8]) -> Void,
                             onLines: @Sendable (OutputChannel, [[UInt8]], Timestamp) -> Void) {
        var assembler = LogLineAssembler()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready < 0 { if errno == EINTR { continue }; break }
            if ready == 0 {
                if let exitedAt = state.exitedAt, exitedAt.duration(to: .now) > .seconds(drainSeconds) { break }
                continue
            }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; break }
            if n == 0 { break }
            let chunk = Array(buffer[0..<n])
            onOutput(stream, chunk)
            let now = clock.now()
            let lines = assembler.feed(chunk, now: now.millisecondsSinceEpoch)
            if !lines.isEmpty { onLines(stream, lines, now) }
        }
        let rest = assembler.finish()
        if !rest.isEmpty { onLines(stream, rest, clock.now()) }
    }
}

/// When the child exited, for the pipe readers' drain.
private final class DrainState: Sendable {
    /// When the child exited, on the monotonic clock (the drain's deadline is a duration).
    private let exited = Mutex<ContinuousClock.Instant?>(nil)

    func markExited() { exited.withLock { $0 = .now } }
    var exitedAt: ContinuousClock.Instant? { exited.withLock { $0 } }
}
