/// Whether a folder moves whole in a migration: each of its files into one new folder under the same
/// relative path, where nothing else is. A folder checkpoint's sha256 (over its files' relative paths)
/// is carried only then, a link to the folder names its new place, and a config value naming it is
/// rewritten. Paths are relative to the tree's root.
public enum WholeFolderMoves {
    /// `paths` under each folder that holds them (at any depth), by folder.
    public static func byFolder(_ paths: [String]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for path in paths {
            var folder = TreePath.parent(path)
            while folder != "." {
                out[folder, default: []].append(path)
                folder = TreePath.parent(folder)
            }
        }
        return out
    }

    /// Where `folder` will be after the moves `targets` (source → target), when it moves whole, or
    /// `folder` itself when none of its files moves; nil otherwise.
    /// - Parameters:
    ///   - filesByFolder: the tree's files under each folder (``byFolder(_:)`` of them).
    ///   - movesInto: how many moves end under each folder.
    public static func target(_ folder: String, targets: [String: String], filesByFolder: [String: [String]],
                              movesInto: [String: Int]) -> String? {
        guard let files = filesByFolder[folder], !files.isEmpty else { return nil }
        var destination: String?
        var moved = 0
        for file in files {
            let relative = file.dropFirst(folder.count + 1)
            let target = targets[file] ?? file
            guard target.hasSuffix("/" + relative) else { return nil }
            let into = String(target.dropLast(relative.count + 1))
            if destination == nil { destination = into } else if destination != into { return nil }
            if targets[file] != nil { moved += 1 }
        }
        guard let destination else { return nil }
        if moved == 0 { return folder }
        // Nothing else may be in the new folder: no file already there, and no move into it but the folder's own.
        guard moved == files.count, filesByFolder[destination] == nil, movesInto[destination] == files.count else { return nil }
        return destination
    }
}
