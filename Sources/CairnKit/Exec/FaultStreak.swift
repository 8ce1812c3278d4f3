import Synchronization

/// Tells a fault that repeats (a heartbeat or a log write failing at every attempt) once per streak of
/// failures rather than once per failure: the first failure after a success, or after the start, starts
/// a streak, which the caller reports; the failures after it do not; a success ends the streak.
final class FaultStreak: Sendable {
    private let failing = Mutex(false)

    /// Records a success: the next failure starts a new streak.
    func succeeded() { failing.withLock { $0 = false } }

    /// Records a failure; true when it starts a streak (the caller reports it).
    func failed() -> Bool {
        failing.withLock { failing in
            defer { failing = true }
            return !failing
        }
    }
}
