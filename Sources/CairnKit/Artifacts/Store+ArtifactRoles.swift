import Glibc
import CairnCore

extension Store {
    /// The layout roles whose files are run artifacts placed by the layout (saved embeddings and
    /// predictions), as ``beginArtifact(_:role:fields:)`` writes them.
    public static let artifactRoles: [LayoutRole] = [.embeddings, .predictions]

    /// Where the run's layout places the file of `role` with these fields.
    /// - Parameters:
    ///   - run: the run.
    ///   - role: `embeddings` or `predictions` (``artifactRoles``).
    ///   - fields: the values of the role's own fields (`["split": "val"]`); the run's fields are known.
    /// - Returns: a path inside `artifacts/` when the place is there, else a path inside the run folder with the role.
    /// - Throws: `CairnError` of kind `.invalidValue` for another role, `.layout` when the run's layout
    ///   has no place for the role or a field is missing or invalid.
    public func artifactLocation(of run: Run, role: LayoutRole, fields: [String: String]) throws(CairnError) -> ArtifactLocation {
        guard Self.artifactRoles.contains(role) else {
            throw CairnError(.invalidValue, "the role '\(role)' does not name an artifact",
                             hint: "give one of " + Self.artifactRoles.map(\.rawValue).joined(separator: ", ")
                                 + " (checkpoints go through 'cairn ckpt save', metrics through 'cairn metric log')")
        }
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        guard let template = runLayout.template(role) else {
            throw CairnError(.layout, "the layout '\(runLayout.name)' of run \(run.id) has no place for \(role)",
                             hint: "give a path inside the run's artifacts folder instead, like '\(role)/val.npy'")
        }
        let experiment = try experiment(id: run.record.experimentID)
        var all = try runFields(experiment: experiment, id: run.id, name: run.record.name, start: run.record.startTime,
                                extra: [:], layout: runLayout)
        let own = template.fieldNames.filter { all[$0] == nil }
        for key in fields.keys.sorted() {
            guard template.fieldNames.contains(key) else {
                throw CairnError(.invalidValue, "the layout '\(runLayout.name)' places \(role) at '\(template.text)', which has no field '\(key)'",
                                 hint: own.isEmpty ? "give no fields: the run gives them all" : "give only its fields: " + own.joined(separator: ", "))
            }
            guard all[key] == nil else {
                throw CairnError(.invalidValue, "the field '\(key)' of \(role)'s place is the run's own", hint: "leave it out: the run gives it")
            }
            all[key] = .string(fields[key]!)
        }
        let rendered: String
        do {
            rendered = try template.render(all)
        } catch {
            let missing = template.requiredFieldNames.filter { all[$0] == nil }
            throw CairnError(.layout, "the layout '\(runLayout.name)' places \(role) at '\(template.text)': \(error.message)",
                             hint: missing.isEmpty ? "give each field a plain name (no '/', no '..', no control characters)" : "give a value for " + missing.map { "'\($0)'" }.joined(separator: " and ")
                                 + " (cairn artifact: --\(missing[0]) VALUE or --field \(missing[0])=VALUE)")
        }
        let path = try ArtifactPath(rendered)
        if path.components.first == "artifacts" && path.components.count > 1 {
            return ArtifactLocation(try ArtifactPath(path.components.dropFirst().joined(separator: "/")))
        }
        return ArtifactLocation(role: role, runPath: path)
    }

    /// Starts writing the file a layout role names for the run (its validation embeddings, say), at
    /// ``artifactLocation(of:role:fields:)``: inside `artifacts/` like any artifact, or in the run folder,
    /// written the same way (atomically, its sha256 recorded in `artifacts.jsonl` with the role).
    /// - Parameters:
    ///   - run: the run.
    ///   - role: `embeddings` or `predictions`.
    ///   - fields: the role's own fields (`["split": "val"]`).
    /// - Returns: the upload, to write to and finish.
    /// - Throws: `CairnError` as ``artifactLocation(of:role:fields:)`` and ``beginArtifact(_:at:)`` do.
    public func beginArtifact(_ run: Run, role: LayoutRole, fields: [String: String]) throws(CairnError) -> ArtifactUpload {
        try beginArtifact(run, at: try artifactLocation(of: run, role: role, fields: fields))
    }

    /// Starts writing a file at `location` (inside `artifacts/`, or a role's place in the run folder).
    /// - Throws: `CairnError` as ``beginArtifact(_:at:)`` does.
    public func beginArtifact(_ run: Run, at location: ArtifactLocation) throws(CairnError) -> ArtifactUpload {
        guard let role = location.role else { return try beginArtifact(run, at: location.path) }
        try checkWritable()
        let parent = try Self.confinedFolder(root: try runFolderRoot(of: run), location.path.components.dropLast(), inside: Self.runFolderName)
        let target = Paths.join(parent, location.path.components.last!)
        if FileSystem.isDirectory(target) && !FileSystem.isSymbolicLink(target) {
            throw CairnError(.invalidValue, "the place of \(role), '\(location.path)', is a folder", hint: "move the folder away, or give other fields")
        }
        return try ArtifactUpload(store: self, run: run, path: location.path, role: role, target: target)
    }

    /// The file at `location`, for reading.
    /// - Returns: its absolute path (symbolic links inside the folder resolved) and size.
    /// - Throws: `CairnError` of kind `.notFound` when there is no such file, `.invalidValue` when the
    ///   path leads out of its folder or is a folder.
    public func artifactFile(of run: Run, at location: ArtifactLocation) throws(CairnError) -> (path: String, bytes: Int64) {
        guard let role = location.role else { return try artifactFile(of: run, at: location.path) }
        guard let resolved = try Self.resolved(root: try runFolderRoot(of: run), location.path, inside: Self.runFolderName) else {
            throw CairnError(.notFound, "the run \(run.id) has no \(role) at '\(location.path)'", hint: "list its artifacts to see what it has")
        }
        var info = stat()
        guard stat(resolved, &info) == 0 else { throw SystemError.make("read", path: resolved) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw CairnError(.invalidValue, "the place of \(role), '\(location.path)', is a folder", hint: "give a file's place")
        }
        return (resolved, Int64(info.st_size))
    }

    /// The latest record of the file at `location` in the run's `artifacts.jsonl`, if any.
    public func artifactRecord(of run: Run, at location: ArtifactLocation) throws(CairnError) -> ArtifactRecord? {
        try artifactRecords(of: run).last { location.isRecorded(by: $0) }
    }

    /// A file inside the run folder (a checkpoint, an artifact, a role's file), for reading: `cairn
    /// inspect --run`.
    /// - Parameters:
    ///   - run: the run.
    ///   - path: the file's path inside the run folder.
    /// - Returns: its absolute path, symbolic links inside the run folder resolved.
    /// - Throws: `CairnError` of kind `.notFound` when there is no such file, `.invalidValue` when the
    ///   path leads out of the run folder.
    public func runFile(of run: Run, at path: ArtifactPath) throws(CairnError) -> String {
        guard let resolved = try Self.resolved(root: try runFolderRoot(of: run), path, inside: Self.runFolderName) else {
            throw CairnError(.notFound, "the run \(run.id) has no file '\(path)'", hint: "give a path inside its folder, '\(run.absoluteFolder)'")
        }
        return resolved
    }

    static let runFolderName = "the run folder"

    /// The real path of the run folder.
    func runFolderRoot(of run: Run) throws(CairnError) -> String {
        guard let real = realpath(run.absoluteFolder, nil) else { throw SystemError.make("read", path: run.absoluteFolder) }
        defer { free(real) }
        return String(cString: real)
    }
}
