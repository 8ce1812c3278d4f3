/// What one layout makes of a tree: its runs, and every file it cannot explain.
public struct TreeRecognition: Sendable, Equatable {
    /// The layout's name.
    public var layout: String
    /// The runs found, by folder.
    public var runs: [RecognizedRun]
    /// Files no role of the layout explains, relative to the tree's root, sorted.
    public var unexplained: [String]

    public init(layout: String, runs: [RecognizedRun], unexplained: [String]) {
        self.layout = layout
        self.runs = runs
        self.unexplained = unexplained
    }

    /// How many files the layout explains.
    public var explainedCount: Int { runs.reduce(0) { $0 + $1.files.count } }

    /// The experiments found, by name, sorted.
    public var experimentNames: [String] { Array(Set(runs.map(\.experimentName))).sorted() }
}
