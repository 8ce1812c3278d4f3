import CairnCore

/// The folders of an adopted tree that can receive new runs (the tree's root and every folder above a
/// run folder), with their modification times when last read: `.cairn/tree-folders`, one folder per
/// line, `SECONDS.NANOSECONDS<TAB>PATH` (the path relative to the tree's root, `.` for the root; a time
/// of `0.0` means "read it again"). A new run folder changes the time of the folder it is made in, so
/// comparing these times finds the folders to read again without walking the tree.
struct TreeFolders: Equatable {
    /// The file's name under `.cairn/`.
    static let fileName = "tree-folders"

    /// Modification time in nanoseconds by folder (relative to the tree's root; `.` for the root).
    var times: [String: Int64] = [:]

    /// The containers of `runFolders`: the root, every proper ancestor of each run folder, and the run
    /// folders that may hold other runs (matched by the `run` template without one of its optional
    /// parts: SuperGradients' older form, a run in the experiment folder, beside newer run folders).
    static func containers(of runFolders: some Sequence<String>, layout: Layout) -> Set<String> {
        var out: Set<String> = ["."]
        let run = layout.template(.run)
        let optional = run.map { Set($0.fieldNames).subtracting($0.requiredFieldNames) } ?? []
        for folder in runFolders {
            if !optional.isEmpty, let fields = run?.match(folder), !optional.isSubset(of: Set(fields.names)) { out.insert(folder) }
            // Its parents, longest first: once one is known, so are the shorter ones.
            var end = folder.utf8.endIndex
            while let slash = folder.utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
                end = slash
                if !out.insert(String(folder[..<slash])).inserted { break }
            }
        }
        return out
    }

    /// `folders` with the times a walk read them at (``TreeListing/folderTimes``, taken before each
    /// folder's entries were read, so a change while it was read shows next time); a folder the walk did
    /// not see is left out.
    init(_ folders: some Sequence<String>, readAt times: [String: Int64]) {
        for folder in folders { if let time = times[folder] { self.times[folder] = time } }
    }

    init(times: [String: Int64] = [:]) { self.times = times }

    /// The absolute path of a folder of the tree.
    static func absolute(_ folder: String, tree: String) -> String { folder == "." ? tree : Paths.join(tree, folder) }

    /// The folders whose time is not the one recorded (or that are gone).
    func changed(tree: String) -> [String] {
        times.keys.filter { FileSystem.modificationTime(Self.absolute($0, tree: tree)) != times[$0] }.sorted()
    }

    /// After Cairn wrote `cairn.yaml` into the tree's root itself (the store at the tree's root): takes
    /// the root's new time into `.cairn/tree-folders`, so that the next command does not read the root
    /// again for a change that was Cairn's own. Best effort: a failure only costs that read.
    static func takeRootTime(metaRoot: String, tree: String) {
        let path = Paths.join(metaRoot, fileName)
        guard var watched = try? read(path), watched.times["."] != nil, let time = FileSystem.modificationTime(tree) else { return }
        watched.times["."] = time
        try? AtomicFile.write(watched.bytes, to: path)
    }

    /// The file's bytes.
    var bytes: [UInt8] {
        var text = ""
        for folder in times.keys.sorted() {
            let time = times[folder]!
            text += "\(time / 1_000_000_000).\(time % 1_000_000_000)\t\(folder)\n"
        }
        return Array(text.utf8)
    }

    /// Reads the file; nil when it is not there. Lines that do not parse are dropped (their folders are
    /// then not watched until the next full refresh).
    static func read(_ path: String) throws(CairnError) -> TreeFolders? {
        guard let bytes = try FileSystem.readIfPresent(path) else { return nil }
        var out = TreeFolders()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let time = line[..<tab].split(separator: ".", maxSplits: 1)
            guard time.count == 2, let seconds = Int64(time[0]), let nanoseconds = Int64(time[1]) else { continue }
            out.times[String(line[line.index(after: tab)...])] = seconds * 1_000_000_000 + nanoseconds
        }
        return out
    }
}
