import Glibc
import CairnCore

/// The system's wall clock: `CLOCK_REALTIME` for ``now()``; for ``coarseNow()``, Linux's
/// `CLOCK_REALTIME_COARSE` (a few nanoseconds a read, advancing every tick of 1–4 ms), so that a
/// metric point's time costs almost nothing to take.
public struct SystemWallClock: WallClock {
    /// The system's clock.
    public init() {}

    /// The current time from `CLOCK_REALTIME`, to the millisecond.
    /// - Returns: the time.
    public func now() -> Timestamp { Timestamp(millisecondsSinceEpoch: Self.milliseconds(CLOCK_REALTIME)) }

    /// The current time from `CLOCK_REALTIME_COARSE`: whole milliseconds, up to one kernel tick
    /// (1–4 ms) behind.
    /// - Returns: the time.
    public func coarseNow() -> Timestamp { Timestamp(millisecondsSinceEpoch: Self.coarseMilliseconds()) }

    /// ``coarseNow()`` in milliseconds since the Unix epoch, for the metric logger's hot path (which
    /// calls it directly rather than through a `WallClock` existential).
    @inline(__always)
    static func coarseMilliseconds() -> Int64 { milliseconds(CLOCK_REALTIME_COARSE) }

    @inline(__always)
    private static func milliseconds(_ clock: clockid_t) -> Int64 {
        var now = timespec()
        clock_gettime(clock, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
