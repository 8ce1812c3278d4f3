import Glibc
import CairnCore

extension Store {
    /// The run's `artifacts/` folder (free-form files: what MLflow's clients upload, plots, reports).
    /// - Parameter run: the run.
    /// - Returns: its absolute path (it may not exist yet).
    public func artifactsFolder(of run: Run) -> String { Paths.join(run.absoluteFolder, "artifacts") }

    /// Starts writing a file at `path` inside the run's `artifacts/` folder (folders made as needed).
    /// - Parameters:
    ///   - run: the run.
    ///   - path: the file's path inside `artifacts/`.
    /// - Returns: the upload, to write to and finish.
    /// - Throws: `CairnError` of kind `.invalidValue` for the folder itself, a path through a symbolic
    ///   link that leads out of the folder, or a path that is a folder; or when the store cannot be written.
    public func beginArtifact(_ run: Run, at path: ArtifactPath) throws(CairnError) -> ArtifactUpload {
        try checkWritable()
        guard !path.components.isEmpty else {
            throw CairnError(.invalidValue, "no file name given for the artifact", hint: "give a path like 'plots/loss.png'")
        }
        let parent = try confinedFolder(of: run, path.components.dropLast(), creating: true)
        let target = Paths.join(parent, path.components.last!)
        if FileSystem.isDirectory(target) && !FileSystem.isSymbolicLink(target) {
            throw CairnError(.invalidValue, "the artifact path '\(path)' is a folder", hint: "give a file's path")
        }
        return try ArtifactUpload(store: self, run: run, path: path, target: target)
    }

    /// The file at `path` inside the run's `artifacts/` folder, for reading.
    /// - Returns: its absolute path (symbolic links inside the folder resolved) and size.
    /// - Throws: `CairnError` of kind `.notFound` when there is no such file, `.invalidValue` when the
    ///   path leads out of the folder or is a folder.
    public func artifactFile(of run: Run, at path: ArtifactPath) throws(CairnError) -> (path: String, bytes: Int64) {
        let resolved = try resolvedArtifact(of: run, path)
        guard let resolved else {
            throw CairnError(.notFound, "the run \(run.id) has no artifact '\(path)'", hint: "list its artifacts to see what it has")
        }
        var info = stat()
        guard stat(resolved, &info) == 0 else { throw SystemError.make("read", path: resolved) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw CairnError(.invalidValue, "the artifact path '\(path)' is a folder", hint: "list it instead, or give a file's path")
        }
        return (resolved, Int64(info.st_size))
    }

    /// What the folder at `path` inside the run's `artifacts/` folder holds, by name (empty for a file,
    /// or a path that does not exist, as MLflow lists).
    /// - Throws: `CairnError` of kind `.invalidValue` when the path leads out of the folder.
    public func listArtifacts(of run: Run, at path: ArtifactPath = .root) throws(CairnError) -> [ArtifactEntry] {
        guard let folder = try resolvedArtifact(of: run, path), FileSystem.isDirectory(folder) else { return [] }
        var entries: [ArtifactEntry] = []
        for name in try FileSystem.list(folder).sorted() where !name.hasPrefix(AtomicFile.temporaryPrefix) {
            let child = Paths.join(folder, name)
            let inside = path.components.isEmpty ? name : path.description + "/" + name
            // A link leading out of the folder is not shown.
            guard (try? resolvedArtifact(of: run, ArtifactPath(inside))) != nil else { continue }
            if FileSystem.isDirectory(child) {
                entries.append(ArtifactEntry(path: inside, isDirectory: true, bytes: nil))
            } else {
                entries.append(ArtifactEntry(path: inside, isDirectory: false, bytes: FileSystem.fileSize(child) ?? 0))
            }
        }
        return entries
    }

    /// The records of the run's `artifacts.jsonl`, oldest first (a line cut short by a crash is skipped).
    public func artifactRecords(of run: Run) throws(CairnError) -> [ArtifactRecord] {
        let path = Paths.join(run.absoluteFolder, "artifacts.jsonl")
        guard let bytes = try FileSystem.readIfPresent(path) else { return [] }
        var records: [ArtifactRecord] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? JSONCoding.decode(ArtifactRecord.self, from: Array(line), path: path) { records.append(record) }
        }
        return records
    }

    /// Appends one line to the run's `artifacts.jsonl` in one write, then syncs it.
    func appendArtifactRecord(_ record: ArtifactRecord, of run: Run) throws(CairnError) {
        try appendArtifactLine(record, of: run)
    }

    /// Appends one record of any kind (an ``ArtifactRecord``, an ``AverageRecord``) to the run's
    /// `artifacts.jsonl`: one line, one write, then a sync.
    func appendArtifactLine(_ record: some Encodable, of run: Run) throws(CairnError) {
        let path = Paths.join(run.absoluteFolder, "artifacts.jsonl")
        var line = try JSONCoding.encodeLine(record)
        line.append(UInt8(ascii: "\n"))
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("write", path: path) }
        defer { close(fd) }
        if let code = FileSystem.writeAll(fd, line) { throw SystemError.make("write", path: path, errno: code) }
        if fsync(fd) != 0 { throw SystemError.make("write", path: path) }
    }

    // MARK: Confinement

    /// The real path of the artifacts folder (made when `creating`).
    private func artifactsRoot(of run: Run, creating: Bool) throws(CairnError) -> String? {
        let root = artifactsFolder(of: run)
        if creating { try FileSystem.makeDirectories(root) }
        guard let real = realpath(root, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// The folder `components` names inside the artifacts folder, each existing component checked (a
    /// symbolic link must resolve inside the folder), missing ones made.
    private func confinedFolder(of run: Run, _ components: ArraySlice<String>, creating: Bool) throws(CairnError) -> String {
        guard let root = try artifactsRoot(of: run, creating: creating) else {
            throw CairnError(.notFound, "the run \(run.id) has no artifacts folder", hint: "upload an artifact first")
        }
        return try Self.confinedFolder(root: root, components, inside: Self.artifactsFolderName)
    }

    /// The folder `components` names inside `root` (a real path), each existing component checked (a
    /// symbolic link must resolve inside `root`), missing ones made. `inside` names `root` in messages.
    static func confinedFolder(root: String, _ components: ArraySlice<String>, inside: String) throws(CairnError) -> String {
        var current = root
        for component in components {
            let next = Paths.join(current, component)
            if !FileSystem.exists(next) && !FileSystem.isSymbolicLink(next) {
                if mkdir(next, 0o755) != 0 && errno != EEXIST { throw SystemError.make("create", path: next) }
            }
            guard let real = realpath(next, nil) else { throw leavesFolder(components.joined(separator: "/"), inside) }
            current = String(cString: real)
            free(real)
            guard current == root || current.hasPrefix(root + "/") else { throw leavesFolder(components.joined(separator: "/"), inside) }
            guard FileSystem.isDirectory(current) else {
                throw CairnError(.invalidValue, "the artifact path '\(components.joined(separator: "/"))' goes through a file", hint: "choose another folder")
            }
        }
        return current
    }

    /// The real path of `path` inside the artifacts folder, nil when it does not exist.
    func resolvedArtifact(of run: Run, _ path: ArtifactPath) throws(CairnError) -> String? {
        guard let root = try artifactsRoot(of: run, creating: false) else { return nil }
        return try Self.resolved(root: root, path, inside: Self.artifactsFolderName)
    }

    /// The real path of `path` inside `root` (a real path), nil when it does not exist.
    /// - Throws: `CairnError` of kind `.invalidValue` when it leads out of `root` (named `inside` in the message).
    static func resolved(root: String, _ path: ArtifactPath, inside: String) throws(CairnError) -> String? {
        let joined = path.components.reduce(root) { Paths.join($0, $1) }
        guard let real = realpath(joined, nil) else {
            // Missing: the nearest folder above it that exists must still be inside (a link there may
            // lead out, and the answer must not tell what lies outside).
            var above = joined
            repeat {
                if FileSystem.isSymbolicLink(above) && !FileSystem.leadsSomewhere(above) { throw leavesFolder(path.description, inside) }
                above = Paths.parent(above)
            } while above.count > root.count && !FileSystem.exists(above)
            guard let realAbove = realpath(above, nil) else { return nil }
            let resolvedAbove = String(cString: realAbove)
            free(realAbove)
            guard resolvedAbove == root || resolvedAbove.hasPrefix(root + "/") else { throw leavesFolder(path.description, inside) }
            return nil
        }
        let resolved = String(cString: real)
        free(real)
        guard resolved == root || resolved.hasPrefix(root + "/") else { throw leavesFolder(path.description, inside) }
        return resolved
    }

    static let artifactsFolderName = "the run's artifacts folder"

    private static func leavesFolder(_ path: String, _ inside: String) -> CairnError {
        CairnError(.invalidValue, "the artifact path '\(path)' leads out of \(inside) (through a symbolic link)",
                   hint: "give a path inside the folder")
    }
}
