/// A file's path with what every layout's recognition needs to know of it, worked out once for all the
/// layouts `auto` tries: where its folder part ends, a number that changes when the folder does, and
/// whether every component is valid. Plain numbers beside the path: reading them retains nothing.
public struct PreparedPath: Sendable {
    /// The path, relative to the tree's root.
    public let path: String
    /// The length in UTF-8 bytes of the folder part (0 for a file at the root).
    let directoryLength: Int
    /// Equal for consecutive paths in the same folder, different when the folder changes.
    let directoryID: Int
    /// Every component of the path is one rendering could produce.
    let valid: Bool

    /// The folder part (empty for a file at the root).
    var directory: Substring {
        path[..<path.utf8.index(path.utf8.startIndex, offsetBy: directoryLength)]
    }

    /// Prepares a batch of paths, continuing the folder numbering of `state` (start from a fresh one).
    public static func prepare(_ paths: [String], state: inout State) -> [PreparedPath] {
        var out: [PreparedPath] = []
        out.reserveCapacity(paths.count)
        for path in paths {
            PathBytes.with(path) { bytes in
                var slash = bytes.count
                while slash > 0, bytes[slash - 1] != UInt8(ascii: "/") { slash -= 1 }
                let directoryLength = max(0, slash - 1)
                let directory = UnsafeBufferPointer(rebasing: bytes[..<directoryLength])
                let same = state.directory.count == directoryLength && state.directory.withUnsafeBufferPointer { previous in
                    var i = directoryLength
                    while i > 0 {   // from the end: paths of one tree share their beginnings
                        i -= 1
                        if previous[i] != bytes[i] { return false }
                    }
                    return true
                }
                if !same {
                    state.directory = Array(directory)
                    state.directoryID += 1
                    // A folder's components are checked once for all its files.
                    state.directoryValid = directory.isEmpty || ComponentCheck.isValidPath(bytes, 0, directoryLength)
                }
                let valid = state.directoryValid && ComponentCheck.isValidPath(bytes, slash, bytes.count)
                out.append(PreparedPath(path: path, directoryLength: directoryLength, directoryID: state.directoryID, valid: valid))
            }
        }
        return out
    }

    /// The folder last seen by ``prepare(_:state:)``.
    public struct State: Sendable {
        var directory: [UInt8] = [0]   // no folder's bytes: the first path starts a folder
        var directoryID = 0
        /// Whether every component of ``directory`` is valid.
        var directoryValid = true

        public init() {}
    }
}
