import CairnCore

/// What `cairn adopt` found (and, unless a dry run, recorded): returned by
/// ``Store/adopt(_:logger:clock:progress:)``; ``CairnAPI/Adoption`` is its answer.
public struct AdoptReport: Sendable {
    /// The tree's root, absolute.
    public var tree: String
    /// The store's root, absolute.
    public var storeRoot: String
    /// How many files each layout explains, best first (one row when a layout was named).
    public var ranking: [(layout: String, explained: Int)]
    /// What the chosen layout makes of the tree.
    public var recognition: TreeRecognition
    /// Each run's id, in the order of `recognition.runs`.
    public var runIDs: [RunID]
    /// The checkpoints recorded (files and folders, pointers' own files included).
    public var checkpoints: Int
    /// Symlinks to folders (never followed) and folders or names that could not be read.
    public var skipped: [String]
    /// Files the adoption read but could not use fully (a config that does not parse…).
    public var warnings: [String]
    /// Whether anything was written.
    public var dryRun: Bool

    /// The chosen layout's name.
    public var layout: String { recognition.layout }
    /// How many files the tree has (explained or not).
    public var fileCount: Int { recognition.explainedCount + recognition.unexplained.count }
}
