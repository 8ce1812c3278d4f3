/// One file a migration cannot move, and why. The cause is worded the same for every file it stops,
/// so that a plan's problems group into one line per cause (``MigrationPlan/problemGroups``).
public struct MigrationProblem: Sendable, Hashable, Codable {
    /// What stops the file, without its path (`the layout 'typed-folders' names a checkpoint by its
    /// 'model_type', and its config.json has no 'model_type'`).
    public var cause: String
    /// The file, relative to the tree's root.
    public var path: String
    /// More about this file, where the cause needs it (`a.pt and b.pt would both become c.pt`).
    public var detail: String?

    public init(cause: String, path: String, detail: String? = nil) {
        self.cause = cause
        self.path = path
        self.detail = detail
    }
}

/// The problems of one cause: how many files it stops, and which.
public struct MigrationProblemGroup: Sendable, Equatable, Codable {
    public var cause: String
    /// The files it stops, sorted.
    public var paths: [String]
    /// The first file's problem, as an example: its path, or its detail when it has one.
    public var example: String

    public init(cause: String, paths: [String], example: String) {
        self.cause = cause
        self.paths = paths
        self.example = example
    }

    /// How many files it stops.
    public var count: Int { paths.count }
}
