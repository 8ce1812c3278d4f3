/// String path helpers (the store works with plain POSIX paths).
enum Paths {
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
