import Glibc
import Synchronization
import CairnCore

/// This process's handlers for the signals `exec` relays to its commands, while commands run.
///
/// - SIGINT, SIGTERM, SIGHUP are forwarded to each command's process group at once, from the handler,
///   then SIGCONT, so that a stopped group gets them too; SIGTSTP is forwarded as it is.
/// - SIGCONT is left to each command's loop, which gives the command the terminal before continuing it.
/// - SIGTTOU is ignored, so that this process may take the terminal back while in the background.
///
/// The handler only calls `kill` and `write`, which are async-signal-safe: each running command has a
/// slot with its process group and a wake pipe, and the handler writes the signal's number to the pipe
/// (with bit 7 set when the group was not known yet, so that the loop forwards it itself). Each loop
/// does the rest (recording the signal in `run.json`, job control).
///
/// The dispositions in force when the first command starts (a handler the embedding program installed,
/// SIG_IGN, or SIG_DFL) are saved with `sigaction` and restored exactly when the last command running
/// in this process ends: commands may run at once from several threads, up to ``capacity``.
enum SignalRelay {
    /// The signals forwarded to end a command.
    static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// The signals this process handles while commands run.
    static let handled: [Int32] = terminating + [SIGTSTP, SIGCONT]
    /// How many commands may run at once in one process.
    static var capacity: Int { 64 }
    /// A wake byte's bit that says the handler did not forward the signal (the group was not known).
    static var notForwarded: UInt8 { 0x80 }

    /// One running command's slot: where its loop reads wake bytes, and where the waiter writes them.
    struct Slot {
        let index: Int
        let readFD: Int32
        let writeFD: Int32
    }

    private struct State {
        var users = 0
        /// The dispositions before the first user, for ``handled`` then SIGTTOU.
        var saved: [sigaction] = []
        /// Each slot's wake pipe, made on its first use and kept open for the process's life: a handler
        /// may still hold its number after the slot is released, so it must never name another file.
        var pipes: [(read: Int32, write: Int32)?] = Array(repeating: nil, count: capacity)
        var inUse = [Bool](repeating: false, count: capacity)
    }

    private static let state = Mutex(State())
    /// Per slot, what the handler reads: the command's process group (0 until it started) and the
    /// write end of the wake pipe (-1 when the slot is free).
    nonisolated(unsafe) private static let groups = makeAtomics(0)
    nonisolated(unsafe) private static let wakes = makeAtomics(-1)
    /// Per slot, how many handlers are between reading it and writing its wake byte.
    nonisolated(unsafe) private static let inFlight = makeAtomics(0)

    private static func makeAtomics(_ value: Int32) -> UnsafeMutablePointer<Atomic<Int32>> {
        let pointer = UnsafeMutablePointer<Atomic<Int32>>.allocate(capacity: capacity)
        for index in 0..<capacity { (pointer + index).initialize(to: Atomic(value)) }
        return pointer
    }

    private static let handler: @convention(c) (Int32) -> Void = { signal in SignalRelay.relay(signal) }

    /// The signal handler's work: only `kill` and `write`, on memory allocated before it was installed
    /// (``capacity`` and ``notForwarded`` are computed, not lazily initialized globals).
    private static func relay(_ signal: Int32) {
        let savedErrno = errno
        for index in 0..<capacity {
            inFlight[index].wrappingAdd(1, ordering: .sequentiallyConsistent)
            let fd = wakes[index].load(ordering: .sequentiallyConsistent)
            if fd >= 0 {
                let group = groups[index].load(ordering: .sequentiallyConsistent)
                var byte = UInt8(truncatingIfNeeded: signal)
                if group <= 0 {
                    byte |= notForwarded
                } else if signal == SIGTSTP {
                    kill(-group, SIGTSTP)
                } else if signal != SIGCONT {
                    kill(-group, signal)
                    kill(-group, SIGCONT)
                }
                _ = write(fd, &byte, 1)
            }
            inFlight[index].wrappingSubtract(1, ordering: .sequentiallyConsistent)
        }
        errno = savedErrno
    }

    /// Claims a slot for a command about to start, installing the handlers if it is the first.
    /// - Throws: `CairnError` (`.busy`) when ``capacity`` commands already run in this process, or when a
    ///   wake pipe cannot be made.
    static func register() throws(CairnError) -> Slot {
        try state.withLock { (state) throws(CairnError) -> Slot in
            guard let index = state.inUse.firstIndex(of: false) else {
                throw CairnError(.busy, "\(capacity) commands already run under exec in this process",
                                 hint: "wait for one of them to end, then start the next")
            }
            if state.pipes[index] == nil {
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { throw SystemError.make("create the signal pipe of", path: "exec") }
                for fd in fds {
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                }
                state.pipes[index] = (fds[0], fds[1])
            }
            let (readFD, writeFD) = state.pipes[index]!
            var stale = [UInt8](repeating: 0, count: 256)
            while read(readFD, &stale, stale.count) > 0 {}
            state.inUse[index] = true
            groups[index].store(0, ordering: .sequentiallyConsistent)
            wakes[index].store(writeFD, ordering: .sequentiallyConsistent)
            if state.users == 0 { state.saved = install() }
            state.users += 1
            return Slot(index: index, readFD: readFD, writeFD: writeFD)
        }
    }

    /// Tells the handler the command's process group, once it has started (0 once it was reaped: later
    /// signals are not forwarded).
    static func setGroup(_ group: pid_t, of slot: Slot) {
        groups[slot.index].store(group, ordering: .sequentiallyConsistent)
    }

    /// Waits until no handler is between forwarding a signal to the slot's group and writing its wake
    /// byte: after the group was set to 0, every signal forwarded to it has its byte in the pipe.
    static func waitForHandlers(of slot: Slot) {
        while inFlight[slot.index].load(ordering: .sequentiallyConsistent) != 0 { sched_yield() }
    }

    /// Releases a slot; the last user restores the saved dispositions.
    static func release(_ slot: Slot) {
        state.withLock { state in
            wakes[slot.index].store(-1, ordering: .sequentiallyConsistent)
            groups[slot.index].store(0, ordering: .sequentiallyConsistent)
            state.inUse[slot.index] = false
            state.users -= 1
            guard state.users == 0 else { return }
            for (number, previous) in zip(handled + [SIGTTOU], state.saved) {
                var previous = previous
                sigaction(number, &previous, nil)
            }
            state.saved = []
        }
    }

    /// Unblocks the relayed signals in the calling thread, which waits for the command: threads of
    /// thread pools (and processes started from them) often block every signal, and a signal blocked in
    /// every thread is never handled (nor, for SIGTSTP, acted on).
    /// - Returns: the thread's mask before, for ``restoreMask(_:)``.
    static func unblockInThisThread() -> sigset_t {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in handled + [SIGTTOU] { sigaddset(&unblock, number) }
        var previous = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
        return previous
    }

    /// Restores the calling thread's mask.
    static func restoreMask(_ mask: sigset_t) {
        var mask = mask
        pthread_sigmask(SIG_SETMASK, &mask, nil)
    }

    /// Sets SIGTSTP to its default action (`true`: this process stops on it, as a job does) or back to
    /// the relay's handler (`false`), while commands run.
    static func stopOnSIGTSTP(_ stop: Bool) {
        state.withLock { state in
            guard state.users > 0 else { return }
            var action = stop ? disposition(SIG_DFL) : relayAction()
            sigaction(SIGTSTP, &action, nil)
        }
    }

    /// Installs the handlers; returns the dispositions they replaced.
    private static func install() -> [sigaction] {
        var handle = relayAction()
        var saved = handled.map { number in
            var previous = sigaction()
            sigaction(number, &handle, &previous)
            return previous
        }
        var ignore = disposition(SIG_IGN)
        var previous = sigaction()
        sigaction(SIGTTOU, &ignore, &previous)
        saved.append(previous)
        return saved
    }

    private static func relayAction() -> sigaction {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        return action
    }

    private static func disposition(_ value: __sighandler_t?) -> sigaction {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = value
        sigemptyset(&action.sa_mask)
        return action
    }
}
