import Glibc

/// The process that holds a run's lease.
public struct LeaseOwner: Sendable, Equatable {
    public var pid: Int32
    /// Seconds between heartbeats, if the owner beats (see ``Store/heartbeat(_:)``).
    public var heartbeatIntervalSeconds: Double?

    public init(pid: Int32, heartbeatIntervalSeconds: Double? = nil) {
        self.pid = pid
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
    }

    /// This process, without a heartbeat.
    public static var currentProcess: LeaseOwner { LeaseOwner(pid: getpid()) }

    /// The parent of this process: the script that ran `cairn run new`.
    public static var parentProcess: LeaseOwner { LeaseOwner(pid: getppid()) }
}
