import Glibc
import Synchronization

/// The signals `exec` forwards to its command's process group (SIGINT, SIGTERM, SIGHUP). This process
/// ignores them while a command runs, so that it survives to record how the run ended.
///
/// The dispositions in force when the first command starts (a handler the embedding program installed,
/// SIG_IGN, or SIG_DFL) are saved with `sigaction` and restored exactly when the last command running
/// in this process ends: commands may run at once from several threads.
enum ForwardedSignals {
    static let numbers: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private struct State {
        /// How many commands are running.
        var users = 0
        /// The dispositions before the first of them, in the order of ``numbers``.
        var saved: [sigaction] = []
    }

    private static let state = Mutex(State())

    /// Ignores the forwarded signals; the first of overlapping callers saves the dispositions in force.
    static func ignore() {
        state.withLock { state in
            if state.users == 0 {
                var ignore = sigaction()
                ignore.__sigaction_handler.sa_handler = SIG_IGN
                sigemptyset(&ignore.sa_mask)
                state.saved = numbers.map { number in
                    var previous = sigaction()
                    sigaction(number, &ignore, &previous)
                    return previous
                }
            }
            state.users += 1
        }
    }

    /// Undoes one ``ignore()``; the last of overlapping callers restores the saved dispositions.
    static func restore() {
        state.withLock { state in
            state.users -= 1
            guard state.users == 0 else { return }
            for (number, previous) in zip(numbers, state.saved) {
                var previous = previous
                sigaction(number, &previous, nil)
            }
            state.saved = []
        }
    }
}
