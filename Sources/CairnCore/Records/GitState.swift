/// The state of the git repository a run was started from.
public struct GitState: Codable, Sendable, Equatable {
    /// The commit checked out (`git rev-parse HEAD`).
    public var commit: String
    /// The branch, if one is checked out.
    public var branch: String?
    /// True if tracked files differ from the commit.
    public var dirty: Bool
    /// The file in the run folder holding `git diff HEAD`, when dirty.
    public var diffFile: String?

    public init(commit: String, branch: String?, dirty: Bool, diffFile: String?) {
        self.commit = commit
        self.branch = branch
        self.dirty = dirty
        self.diffFile = diffFile
    }

    enum CodingKeys: String, CodingKey {
        case commit, branch, dirty
        case diffFile = "diff_file"
    }
}
