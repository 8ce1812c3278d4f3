/// A signal `cairn exec` forwarded to its command's process group, and when: `run.json` lists them in
/// `forwarded_signals`, so that a run its command ended well after a SIGTERM (a preempted job that
/// saved and exited 0) can be told from one that simply finished.
public struct ForwardedSignal: Codable, Sendable, Equatable {
    /// The signal's name (`SIGTERM`, `SIGINT`, `SIGHUP`).
    public var signal: String
    /// When `exec` forwarded it.
    public var at: Timestamp

    /// A forwarded signal.
    /// - Parameters:
    ///   - signal: the signal's name (`SIGTERM`).
    ///   - at: when it was forwarded.
    public init(signal: String, at: Timestamp) {
        self.signal = signal
        self.at = at
    }
}
