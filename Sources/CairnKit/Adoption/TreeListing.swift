/// The files of a tree, as ``TreeWalker`` found them.
public struct TreeListing: Sendable, Equatable {
    /// Regular files and symlinks to files, relative to the tree's root; a folder's files come
    /// together, in the order the file system lists them (not sorted: a tree of 100,000 files is
    /// walked at the speed of `find`).
    public var files: [String]
    /// Symlinks to folders (or dangling, or looping): listed, never followed.
    public var folderLinks: [String]
    /// The symlinks among ``files`` (to files).
    public var fileLinks: [String] = []
    /// Folders that could not be read and names that are not UTF-8, with why.
    public var problems: [String]
    /// Each folder's modification time (nanoseconds) as it was read just before its entries were, by
    /// path relative to the tree's root (`.` for the root): a later change to the folder changes it.
    public var folderTimes: [String: Int64] = [:]

    /// A listing.
    /// - Parameters:
    ///   - files: regular files and symlinks to files, relative to the tree's root.
    ///   - folderLinks: symlinks to folders, listed, never followed.
    ///   - problems: folders that could not be read and names that are not UTF-8, with why.
    public init(files: [String] = [], folderLinks: [String] = [], problems: [String] = []) {
        self.files = files
        self.folderLinks = folderLinks
        self.problems = problems
    }
}
