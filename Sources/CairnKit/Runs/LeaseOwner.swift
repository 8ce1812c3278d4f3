import Glibc

/// The process that holds a run's lease.
///
/// While the owner lives, a `RUNNING` run is alive; once the owner is gone without ending the run,
/// ``Store/liveness(of:)`` reports it `ownerDead` (by pid and process start time on the same host, by
/// heartbeat age from another).
public struct LeaseOwner: Sendable, Equatable {
    /// The owner's process id.
    public var pid: Int32
    /// Seconds between heartbeats, if the owner beats (see ``Store/heartbeat(_:)``).
    public var heartbeatIntervalSeconds: Double?

    /// An owner.
    /// - Parameters:
    ///   - pid: the owner's process id (on this host).
    ///   - heartbeatIntervalSeconds: seconds between its heartbeats, or nil when it does not beat.
    public init(pid: Int32, heartbeatIntervalSeconds: Double? = nil) {
        self.pid = pid
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
    }

    /// This process, without a heartbeat.
    public static var currentProcess: LeaseOwner { LeaseOwner(pid: getpid()) }

    /// The parent of this process: the script that ran `cairn run new`.
    public static var parentProcess: LeaseOwner { LeaseOwner(pid: getppid()) }
}
