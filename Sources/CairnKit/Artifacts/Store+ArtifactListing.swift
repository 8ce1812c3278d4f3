import Glibc
import CairnCore

extension Store {
    /// Every file among the run's artifacts, with its size, its recorded sha256 and, for a tensor file
    /// (npy, safetensors, PyTorch checkpoints, event files: what ``TensorFileInspector`` reads), its dtypes and shapes: the
    /// files under `artifacts/` (or under `path` there), then, when no path is given, the files the
    /// run's layout places for the ``artifactRoles`` outside `artifacts/` (`embeddings/val_embeddings.npy`),
    /// recorded or not (an adopted tree's).
    /// - Parameters:
    ///   - run: the run.
    ///   - path: a file or folder inside `artifacts/`; nil for all.
    /// - Returns: the files, sorted by path (those under `artifacts/` first).
    /// - Throws: `CairnError` of kind `.notFound` when `path` names nothing, `.invalidValue` when it leads
    ///   out of the folder.
    public func artifactListing(of run: Run, under path: ArtifactPath? = nil) throws(CairnError) -> [CairnAPI.Artifact] {
        var latest: [ArtifactLocation: ArtifactRecord] = [:]
        for record in try artifactRecords(of: run) {
            if let location = record.location { latest[location] = record }
        }
        var out: [CairnAPI.Artifact] = []
        let start = path ?? .root
        let root = artifactsFolder(of: run)
        if let resolved = try resolvedArtifact(of: run, start) {
            let relatives = FileSystem.isDirectory(resolved) ? try artifactFiles(of: run, under: start) : [start.description]
            for relative in relatives {
                let location = ArtifactLocation(try ArtifactPath(relative))
                let file = Paths.join(root, relative)
                guard let bytes = FileSystem.fileSize(file) else { continue }
                out.append(artifact(of: run, at: location, file: file, bytes: bytes, record: latest[location]))
            }
        } else if path != nil && !start.components.isEmpty {
            throw CairnError(.notFound, "the run \(run.id) has no artifact '\(start)'", hint: "list its artifacts to see what it has")
        }
        guard path == nil else { return out }
        for placed in try roleFiles(of: run) {
            let file = Paths.join(run.absoluteFolder, placed.location.path.description)
            guard let bytes = FileSystem.fileSize(file) else { continue }
            out.append(artifact(of: run, at: placed.location, file: file, bytes: bytes, record: latest[placed.location], fields: placed.fields))
        }
        return out
    }

    /// The paths of the files under the run's `artifacts/` folder, sorted (no sizes, no records, no
    /// inspection: quick enough for shell completion).
    public func artifactPaths(of run: Run) throws(CairnError) -> [String] {
        try artifactFiles(of: run, under: .root)
    }

    /// The files under a folder of `artifacts/`, as paths inside `artifacts/`, sorted; temporaries and
    /// links leading out of the folder left out.
    func artifactFiles(of run: Run, under folder: ArtifactPath) throws(CairnError) -> [String] {
        var out: [String] = []
        for entry in try listArtifacts(of: run, at: folder) {
            if entry.isDirectory {
                out += try artifactFiles(of: run, under: try ArtifactPath(entry.path))
            } else {
                out.append(entry.path)
            }
        }
        return out
    }

    /// The files the run's layout places for the artifact roles outside `artifacts/`, with the role's
    /// own fields: found by walking the folder the template's literal start names (`embeddings/`),
    /// no deeper than the template goes, and matching each file.
    private func roleFiles(of run: Run) throws(CairnError) -> [(location: ArtifactLocation, fields: [String: String])] {
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        let experiment = try experiment(id: run.record.experimentID)
        let runFields = try runFields(experiment: experiment, id: run.id, name: run.record.name, start: run.record.startTime,
                                      extra: [:], layout: runLayout)
        var out: [(location: ArtifactLocation, fields: [String: String])] = []
        for role in Self.artifactRoles {
            guard let template = runLayout.template(role) else { continue }
            let literal = template.text.prefix { $0 != "{" && $0 != "[" }
            let base = literal.contains("/") ? String(literal[..<literal.lastIndex(of: "/")!]) : ""
            if base == "artifacts" || base.hasPrefix("artifacts/") { continue }  // listed among the artifacts
            let depth = template.text.contains(":path}") ? Int.max
                : template.text.split(separator: "/").count - (base.isEmpty ? 0 : base.split(separator: "/").count)
            for relative in Self.filesBelow(Paths.join(run.absoluteFolder, base), depth: depth) {
                let inRun = base.isEmpty ? relative : base + "/" + relative
                guard let path = try? ArtifactPath(inRun), let fields = Self.roleFields(template.match(inRun), runFields: runFields) else { continue }
                out.append((ArtifactLocation(role: role, runPath: path), fields))
            }
        }
        return out.sorted { $0.location.path.description < $1.location.path.description }
    }

    /// The role's own fields of a matched path (those the run does not give), or nil when there is no
    /// match or the run's own fields differ (a template naming {run_id} matches only its run's files).
    private static func roleFields(_ matched: LayoutFields?, runFields: LayoutFields) -> [String: String]? {
        guard let matched else { return nil }
        guard matched.names.allSatisfy({ runFields[$0] == nil || runFields[$0]?.stringValue == matched[$0]?.stringValue }) else { return nil }
        var fields: [String: String] = [:]
        for name in matched.names where runFields[name] == nil { fields[name] = matched[name]?.stringValue ?? "\(matched[name]!)" }
        return fields
    }

    /// The role's own fields of the file at a role's place, read back from its path.
    func roleFields(of run: Run, at location: ArtifactLocation) -> [String: String]? {
        guard let role = location.role else { return nil }
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        guard let template = runLayout.template(role), let experiment = try? experiment(id: run.record.experimentID),
              let runFields = try? runFields(experiment: experiment, id: run.id, name: run.record.name, start: run.record.startTime,
                                             extra: [:], layout: runLayout) else { return nil }
        return Self.roleFields(template.match(location.path.description), runFields: runFields)
    }

    /// Regular files (links to files included) under `folder`, relative to it, at most `depth` levels down.
    private static func filesBelow(_ folder: String, depth: Int, prefix: String = "") -> [String] {
        guard depth > 0, let names = try? FileSystem.list(folder) else { return [] }
        var out: [String] = []
        for name in names.sorted() where !name.hasPrefix(AtomicFile.temporaryPrefix) {
            let path = Paths.join(folder, name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            if FileSystem.isDirectory(path) {
                if !FileSystem.isSymbolicLink(path) { out += filesBelow(path, depth: depth - 1, prefix: relative) }
            } else if FileSystem.fileSize(path) != nil {
                out.append(relative)
            }
        }
        return out
    }
}
