import CairnCore

/// Where a store reads the times it records: experiments' creation, runs' start and end, leases'
/// heartbeats and how old a heartbeat is, checkpoint manifest events, metric points and flush
/// intervals, `exec` log lines, adoption and TensorBoard export times.
///
/// ``SystemWallClock`` (the default) reads the system's clock; a test or a replay gives a store its own
/// clock (``Store/open(at:logger:clock:)``). Not a `Clock` in the standard library's sense: it tells the
/// time of day, with no sleeping and no durations.
public protocol WallClock: Sendable {
    /// The current time, to the millisecond.
    /// - Returns: the time.
    func now() -> Timestamp

    /// The current time for readings taken very often (a metric point's time), which may lag by a few
    /// milliseconds. By default ``now()``; ``SystemWallClock`` reads the kernel's coarse clock.
    /// - Returns: the time.
    func coarseNow() -> Timestamp
}

extension WallClock {
    /// ``now()``: a clock with no cheaper reading gives the exact time.
    /// - Returns: the time.
    public func coarseNow() -> Timestamp { now() }
}
