import Glibc

/// String path helpers (the store works with plain POSIX paths).
public enum Paths {
    /// `path` made absolute and normalized (`.` components, doubled and trailing slashes removed,
    /// `..` resolved lexically): an absolute path as it is, a relative one taken from `directory`
    /// (itself made absolute), or from the current directory when `directory` is nil. The one place
    /// Cairn turns a user's relative path into an absolute one.
    /// - Parameters:
    ///   - path: the path, absolute or relative.
    ///   - directory: the folder a relative `path` is relative to; the current directory when nil.
    /// - Returns: the absolute, normalized path.
    public static func absolute(_ path: String, relativeTo directory: String? = nil) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        let base = directory.map { $0.hasPrefix("/") ? $0 : join(currentDirectory(), $0) } ?? currentDirectory()
        return normalize(join(base, path))
    }

    /// The process's current directory (`.` if it cannot be read, e.g. it was removed).
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static func join(_ base: String, _ rest: String) -> String {
        if rest.isEmpty { return base }
        if base.isEmpty { return rest }
        return base.hasSuffix("/") ? base + rest : base + "/" + rest
    }

    static func join(_ base: String, _ parts: String...) -> String {
        parts.reduce(base) { join($0, $1) }
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Removes `.` components, doubled slashes and a trailing slash; resolves `..` lexically.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
