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
            let directory: Substring = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[..<$0] } ?? ""
            if directory != state.directory {
                state.directory = directory
                state.directoryID += 1
            }
            return PreparedPath(path: path, directory: directory, directoryID: state.directoryID,
                                valid: PathTemplate.isValidPath(path[...]))
        }
    }

    /// The folder last seen by ``prepare(_:state:)``.
    public struct State: Sendable {
        var directory: Substring?
        var directoryID = 0

        public init() {}
    }
}
