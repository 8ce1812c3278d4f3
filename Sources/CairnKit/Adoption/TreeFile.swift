/// One file of a store's tree as it is on disk: its path, and its text when it is a symbolic link.
public struct TreeFile: Sendable, Hashable {
    /// Relative to the tree's root.
    public var path: String
    /// The link's text, for a symbolic link (to a file, to a folder, or to nothing).
    public var link: String?

    public init(path: String, link: String?) {
        self.path = path
        self.link = link
    }
}
