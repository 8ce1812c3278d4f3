import CairnCore

/// A run as the index keeps it: its summary and the stamp of the files it was read from.
public struct IndexedRun: Sendable, Equatable {
    /// What a search knows of the run.
    public var facts: RunFacts
    /// An opaque text that changes when the run's files change (CairnKit's `RunStamp`).
    public var stamp: String

    /// A run to index.
    public init(facts: RunFacts, stamp: String) {
        self.facts = facts
        self.stamp = stamp
    }
}
