/// A file's path with what every layout's recognition needs to know of it, worked out once for all the
/// layouts `auto` tries: where its folder part ends, a number that changes when the folder does, and
/// whether every component is valid.
public struct PreparedPath: Sendable {
    /// The path, relative to the tree's root.
    public let path: String
    /// The folder part (empty for a file at the root).
    let directory: Substring
    /// Equal for consecutive paths in the same folder, different when the folder changes.
    let directoryID: Int
    /// Every component of the path is one rendering could produce.
    let valid: Bool

    /// Prepares a batch of paths, continuing the folder numbering of `state` (start from a fresh one).
    public static func prepare(_ paths: [String], state: inout State) -> [PreparedPath] {
        paths.map { path in
            let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
            let directory: Substring = slash.map { path[..<$0] } ?? ""
            if directory != state.directory {
                state.directory = directory
                state.directoryID += 1
                // A folder's components are checked once for all its files.
                state.directoryValid = directory.isEmpty || PathTemplate.isValidPath(directory)
            }
            let name = slash.map { path[path.utf8.index(after: $0)...] } ?? path[...]
            return PreparedPath(path: path, directory: directory, directoryID: state.directoryID,
                                valid: state.directoryValid && PathTemplate.isValidPath(name))
        }
    }

    /// The folder last seen by ``prepare(_:state:)``.
    public struct State: Sendable {
        var directory: Substring?
        var directoryID = 0
        /// Whether every component of ``directory`` is valid.
        var directoryValid = true

        public init() {}
    }
}
