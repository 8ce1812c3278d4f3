import CairnCore

extension Timestamp {
    /// The current wall-clock time, on a millisecond: the time Cairn stamps records with.
    public static var now: Timestamp { HostInfo.now }
}
