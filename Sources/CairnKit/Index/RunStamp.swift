/// The files a run's indexed facts were read from, each with its ``FileStamp`` when read: a run is
/// read again when one of them changed. Kept in the index as text, one `STAMP<TAB>PATH` line per file
/// (paths relative to the tree's root, or absolute outside it).
struct RunStamp: Equatable, Sendable {
    var files: [(path: String, stamp: String)]

    /// Stamps `paths` (absolute) now.
    init(paths: [String], treeRoot: String) {
        var seen = Set<String>()
        files = []
        for path in paths where seen.insert(path).inserted {
            files.append((Self.relative(path, to: treeRoot), FileStamp.text(FileStamp.of(path))))
        }
    }

    init?(text: String) {
        files = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            files.append((String(line[line.index(after: tab)...]), String(line[..<tab])))
        }
    }

    var text: String { files.map { $0.stamp + "\t" + $0.path }.joined(separator: "\n") }

    /// True when every file still has the stamp it had.
    func isCurrent(treeRoot: String) -> Bool {
        files.allSatisfy { FileStamp.text(FileStamp.of(Self.absolute($0.path, treeRoot))) == $0.stamp }
    }

    static func == (lhs: RunStamp, rhs: RunStamp) -> Bool { lhs.text == rhs.text }

    private static func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    private static func absolute(_ path: String, _ root: String) -> String {
        path.hasPrefix("/") ? path : root + "/" + path
    }
}
