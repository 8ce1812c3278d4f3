/// The files of a tree, as ``TreeWalker`` found them.
public struct TreeListing: Sendable, Equatable {
    /// Regular files and symlinks to files, relative to the tree's root; a folder's files come
    /// together, folders in name order.
    public var files: [String]
    /// Symlinks to folders (or dangling, or looping): listed, never followed.
    public var folderLinks: [String]
    /// Folders that could not be read and names that are not UTF-8, with why.
    public var problems: [String]

    public init(files: [String] = [], folderLinks: [String] = [], problems: [String] = []) {
        self.files = files
        self.folderLinks = folderLinks
        self.problems = problems
    }
}
