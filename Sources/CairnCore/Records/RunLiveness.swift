/// What other commands can tell about a run's owner.
public enum RunLiveness: String, Codable, Sendable {
    /// The run has ended.
    case ended
    /// The run is RUNNING and its owner is alive (or beat recently, from another host).
    case alive
    /// The run is RUNNING but its owner died without ending it.
    case ownerDead = "owner-dead"
    /// The run is RUNNING and nothing tells whether its owner lives (no lease).
    case unknown
}
