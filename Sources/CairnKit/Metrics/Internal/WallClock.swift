import Glibc

/// The wall clock as metric loggers read it: whole milliseconds since the Unix epoch, from the
/// kernel's coarse clock where there is one (Linux's `CLOCK_REALTIME_COARSE`: a few nanoseconds a
/// read, advancing every tick of 1–4 ms), so that a point's time costs almost nothing to take.
enum WallClock {
    /// Milliseconds since the Unix epoch.
    @inline(__always)
    static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Seconds since the Unix epoch, on a millisecond (as ``Timestamp`` keeps times).
    @inline(__always)
    static func seconds(milliseconds: Int64) -> Double { Double(milliseconds) / 1000 }
}
