import CairnCore

/// A run as listed by `cairn run ls`: its record, where it is, and whether its owner lives.
public struct RunSummary: Sendable, Equatable {
    public var run: Run
    public var liveness: RunLiveness

    public init(run: Run, liveness: RunLiveness) {
        self.run = run
        self.liveness = liveness
    }
}
