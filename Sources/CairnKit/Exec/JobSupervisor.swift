import Glibc
import Foundation
import Synchronization
import CairnCore

/// The loop of `exec` while its command runs: it waits for the command as a shell waits for a job,
/// records the terminating signals forwarded to it, and does the job control a shell would.
///
/// - With a terminal (standard input is one), the command's process group gets the foreground for its
///   life, so `input()`, `pdb` and anything reading the terminal work and Ctrl-Z reaches it; this
///   process takes the terminal back when the command ends.
/// - When the command stops (Ctrl-Z, or reading the terminal from the background) with a terminal, or
///   after this process forwarded it a SIGTSTP, this process takes the terminal back and stops itself,
///   so the user's shell sees the job stopped; when continued (`fg`, `bg`), it gives the terminal back
///   to the command if it is in the foreground, restores the command's terminal modes, and continues it.
/// - Without a terminal, a command stopped by hand (`kill -STOP`) is left stopped.
struct JobSupervisor {
    /// The command's process id, which is also its process group.
    let pid: pid_t
    let slot: SignalRelay.Slot
    /// The terminal handed to the command (standard input), nil when there is none.
    let terminal: Int32?
    /// Whether the command took the terminal's foreground itself, before its program started.
    let handedAtSpawn: Bool
    let clock: any WallClock
    /// Called with each terminating signal forwarded, after it was forwarded.
    let onForwarded: (ForwardedSignal) -> Void

    /// How long to wait for this process to stop itself before continuing the command anyway (the stop
    /// was discarded, as in a process group no shell controls).
    static let selfStopGrace: Duration = .seconds(2)

    /// How the wait ended: the command's wait status and the terminating signals forwarded, oldest first.
    struct Result {
        var status: Int32
        var forwarded: [(number: Int32, record: ForwardedSignal)]
    }

    private let ownGroup = getpgrp()

    /// Waits until the command exits or is killed.
    func run() -> Result {
        let statuses = StatusQueue()
        startWaiter(statuses)
        var job = JobState()
        job.handed = handedAtSpawn
        if let terminal, tcgetpgrp(terminal) == ownGroup { hand(terminal, &job) }
        var result = Result(status: 0, forwarded: [])
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            var timeout: Int32 = -1
            if let since = job.stopRequested {
                let left = Self.selfStopGrace - since.duration(to: .now)
                timeout = Int32(max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            }
            var poller = pollfd(fd: slot.readFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, timeout)
            if ready < 0 {
                if errno != EINTR { usleep(10_000) }
                continue
            }
            if ready == 0 {
                if job.stopRequested != nil { resume(&job) }
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(slot.readFD, $0.baseAddress, $0.count) }
            for byte in buffer.prefix(max(count, 0)) where byte != 0 {
                handleSignal(byte, &job, &result)
            }
            for status in statuses.take() {
                if Self.isStopped(status) {
                    handleStop(signal: (status >> 8) & 0xFF, &job)
                    continue
                }
                if job.stopRequested != nil { SignalRelay.stopOnSIGTSTP(false) }
                if let terminal, job.handed { tcsetpgrp(terminal, ownGroup) }
                // A signal forwarded just before the command ended may have its byte written after the
                // exit's: once no handler is still at work, record what is left.
                SignalRelay.waitForHandlers(of: slot)
                while case let count = buffer.withUnsafeMutableBytes({ read(slot.readFD, $0.baseAddress, $0.count) }), count > 0 {
                    for byte in buffer.prefix(count) where SignalRelay.terminating.contains(Int32(byte)) {
                        handleSignal(byte, &job, &result)
                    }
                }
                result.status = status
                return result
            }
        }
    }

    /// Adds glibc's spawn action that makes the child's process group the terminal's foreground group
    /// in the child, after it joined its group and before its program starts (signals are blocked
    /// there, so SIGTTOU does not stop it): no line of the command runs without the terminal, so a
    /// Ctrl-C typed at its first prompt reaches it. Looked up at run time: glibc 2.35 and later.
    /// - Returns: whether the action was added.
    static func handOnSpawn(_ actions: inout posix_spawn_file_actions_t, terminal: Int32) -> Bool {
        guard let add = addTerminalAction else { return false }
        return add(&actions, terminal) == 0
    }

    private typealias AddTerminalAction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private static let addTerminalAction: AddTerminalAction? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addtcsetpgrp_np") else { return nil }
        return unsafeBitCast(symbol, to: AddTerminalAction.self)
    }()

    /// A thread that reaps the command with `WUNTRACED` (so stops are seen too) and wakes the loop.
    private func startWaiter(_ statuses: StatusQueue) {
        let pid = pid, slot = slot
        Thread {
            while true {
                var status: Int32 = 0
                let reaped = waitpid(pid, &status, WUNTRACED)
                if reaped < 0 && errno == EINTR { continue }
                // A failed wait (the process reaps its children itself) counts as an exit with code 0.
                let ended = reaped < 0 || !Self.isStopped(status)
                if ended { SignalRelay.setGroup(0, of: slot) }
                statuses.push(reaped < 0 ? 0 : status)
                var byte: UInt8 = 0
                _ = write(slot.writeFD, &byte, 1)
                if ended { return }
            }
        }.start()
    }

    private func handleSignal(_ byte: UInt8, _ job: inout JobState, _ result: inout Result) {
        let signal = Int32(byte & ~SignalRelay.notForwarded)
        let forwarded = byte & SignalRelay.notForwarded == 0
        switch signal {
        case SIGCONT:
            resume(&job)
        case SIGTSTP:
            if !forwarded { kill(-pid, SIGTSTP) }
            job.stopForwarded = true
        default:
            if !forwarded {
                kill(-pid, signal)
                kill(-pid, SIGCONT)
            }
            let record = ForwardedSignal(signal: ExecOutcome.name(ofSignal: signal), at: clock.now())
            result.forwarded.append((signal, record))
            onForwarded(record)
        }
    }

    /// The command stopped: hand it the terminal it was waiting for, or stop this process as its job.
    private func handleStop(signal: Int32, _ job: inout JobState) {
        if let terminal, signal == SIGTTIN || signal == SIGTTOU, tcgetpgrp(terminal) == ownGroup {
            // It read the terminal before it was handed the foreground (right after it started).
            hand(terminal, &job)
            kill(-pid, SIGCONT)
            return
        }
        guard terminal != nil || job.stopForwarded else { return }
        job.stopForwarded = false
        if let terminal {
            var modes = termios()
            if tcgetattr(terminal, &modes) == 0 { job.savedModes = modes }
            if job.handed {
                tcsetpgrp(terminal, ownGroup)
                job.handed = false
            }
        }
        SignalRelay.stopOnSIGTSTP(true)
        job.stopRequested = .now
        // This process group: this process and the others of its job (a `| tee`).
        kill(0, SIGTSTP)
    }

    /// This process was continued (or its stop was discarded): continue the command, with the terminal
    /// if this process is in the foreground.
    private func resume(_ job: inout JobState) {
        if job.stopRequested != nil {
            SignalRelay.stopOnSIGTSTP(false)
            job.stopRequested = nil
        }
        if let terminal, tcgetpgrp(terminal) == ownGroup {
            if var modes = job.savedModes {
                tcsetattr(terminal, TCSADRAIN, &modes)
                job.savedModes = nil
            }
            hand(terminal, &job)
        }
        kill(-pid, SIGCONT)
    }

    private func hand(_ terminal: Int32, _ job: inout JobState) {
        if tcsetpgrp(terminal, pid) == 0 { job.handed = true }
    }

    /// `WIFSTOPPED`.
    static func isStopped(_ status: Int32) -> Bool { status & 0xFF == 0x7F }

    private struct JobState {
        /// Whether the command's group holds the terminal, given by this loop.
        var handed = false
        /// The command's terminal modes when it stopped, restored when it is continued in the foreground.
        var savedModes: termios?
        /// When this process asked to stop itself; nil when it did not.
        var stopRequested: ContinuousClock.Instant?
        /// Whether a SIGTSTP was forwarded since the command last stopped.
        var stopForwarded = false
    }

    /// The wait statuses the waiter thread reaped, for the loop.
    private final class StatusQueue: Sendable {
        private let statuses = Mutex<[Int32]>([])
        func push(_ status: Int32) { statuses.withLock { $0.append(status) } }
        func take() -> [Int32] { statuses.withLock { queue in defer { queue.removeAll() }; return queue } }
    }
}
