/// The lease a live run is held by: `.cairn/runs/<run id>/lease.json`.
///
/// The owner (`cairn exec`, or the process that created the run) is identified by host, pid and
/// the pid's start time, so a recycled pid is not mistaken for it. An owner with a heartbeat
/// interval rewrites ``heartbeatAt`` that often; from another host a lease whose heartbeat is older
/// than three intervals is taken as dead.
public struct LeaseRecord: Codable, Sendable, Equatable {
    public var runID: RunID
    public var host: String
    public var pid: Int32
    /// The owner's start time in clock ticks since boot (Linux `/proc/PID/stat`), if known.
    public var processStartTicks: UInt64?
    public var acquiredAt: Timestamp
    public var heartbeatAt: Timestamp
    /// Seconds between heartbeats; nil when the owner does not beat.
    public var heartbeatIntervalSeconds: Double?

    public init(runID: RunID, host: String, pid: Int32, processStartTicks: UInt64?, acquiredAt: Timestamp,
                heartbeatAt: Timestamp, heartbeatIntervalSeconds: Double?) {
        self.runID = runID
        self.host = host
        self.pid = pid
        self.processStartTicks = processStartTicks
        self.acquiredAt = acquiredAt
        self.heartbeatAt = heartbeatAt
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
    }

    enum CodingKeys: String, CodingKey {
        case host, pid
        case runID = "run_id"
        case processStartTicks = "process_start_ticks"
        case acquiredAt = "acquired_at"
        case heartbeatAt = "heartbeat_at"
        case heartbeatIntervalSeconds = "heartbeat_interval_seconds"
    }
}
