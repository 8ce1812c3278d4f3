import CairnCore

/// One page of a search's answer.
public struct RunPage: Sendable, Equatable {
    /// The runs, in the query's order, each with the stamp of the files it was read from.
    public var runs: [IndexedRun]
    /// The offset of the next page, nil when this page is the last.
    public var nextOffset: Int?

    /// A page.
    public init(runs: [IndexedRun], nextOffset: Int?) {
        self.runs = runs
        self.nextOffset = nextOffset
    }
}
