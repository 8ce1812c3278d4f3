import CairnCore

/// A run as listed by `cairn run ls`: its record, where it is, and whether its owner lives.
public struct RunSummary: Sendable, Equatable {
    /// The run: its record and folder.
    public var run: Run
    /// Whether a `RUNNING` run's owner still lives (`ended` for a run that ended).
    public var liveness: RunLiveness

    /// A run and its liveness.
    /// - Parameters:
    ///   - run: the run.
    ///   - liveness: whether its owner lives (``Store/liveness(of:)``).
    public init(run: Run, liveness: RunLiveness) {
        self.run = run
        self.liveness = liveness
    }
}
