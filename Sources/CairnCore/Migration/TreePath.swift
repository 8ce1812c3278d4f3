/// Paths relative to a tree's root (`a/b/c.pt`, `.` for the root itself), as migrations handle them.
public enum TreePath {
    /// The folder holding `path` (`.` for a file at the root).
    public static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    /// The last component of `path`.
    public static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The relative link text that leads from the folder `folder` to `path` (`../b/c.pt`).
    public static func relative(from folder: String, to path: String) -> String {
        let from = folder == "." ? [] : folder.split(separator: "/")
        let to = path.split(separator: "/")
        var shared = 0
        while shared < from.count, shared < to.count - 1, from[shared] == to[shared] { shared += 1 }
        return (Array(repeating: "..", count: from.count - shared) + to[shared...].map(String.init)).joined(separator: "/")
    }

    /// What a relative link `text` in the folder `folder` names, relative to the root; nil for an
    /// absolute link or one that leaves the tree.
    public static func resolve(_ text: String, in folder: String) -> String? {
        guard !text.hasPrefix("/") else { return nil }
        var parts = folder == "." ? [] : folder.split(separator: "/").map(String.init)
        for part in text.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
