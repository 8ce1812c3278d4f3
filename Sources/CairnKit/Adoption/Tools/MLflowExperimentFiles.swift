import CairnCore
import CairnFormats

/// What MLflow's file store keeps of an experiment: `EXPERIMENT_ID/meta.yaml` (its name, id, creation
/// time and lifecycle stage) and one file per tag, `EXPERIMENT_ID/tags/<key>`. A deleted experiment's
/// folder has moved, with its runs, to `.trash/EXPERIMENT_ID/`.
struct MLflowExperimentFiles {
    var name: String?
    var deleted = false
    var created: Timestamp?
    var updated: Timestamp?
    var tags: [String: String] = [:]

    /// The experiments of an adopted MLflow file store: those its runs lie in (`texts`, the folder
    /// names: MLflow's ids), and those without runs, each with MLflow's id and the name its
    /// `meta.yaml` gives. MLflow's names with a leading `/` (`/Shared/x`) are Cairn's grouped names
    /// (`Shared/x`), as `cairn serve` maps them.
    /// - Parameters:
    ///   - texts: the experiment folder names the runs gave.
    ///   - tree: the tree's root.
    ///   - adoptedAt: the creation time of an experiment whose `meta.yaml` has none.
    ///   - includingEmpty: whether experiments without runs are read too.
    ///   - taken: experiments the store has already (whose names the new ones must not clash with).
    /// - Returns: the records by folder name, and a warning per experiment named otherwise than MLflow
    ///   names it (an unreadable `meta.yaml`, a name Cairn cannot use or that clashes: named by its id).
    static func records(for texts: [String], tree: String, adoptedAt: Timestamp, includingEmpty: Bool = true,
                        taken: [ExperimentRecord] = []) -> (records: [String: ExperimentRecord], warnings: [String]) {
        var all = Set(texts)
        for folder in includingEmpty ? ["", ".trash"] : [] {
            let parent = Paths.join(tree, folder)
            for name in (try? FileSystem.list(parent)) ?? [] where ExperimentID(text: name) != nil
                && FileSystem.exists(Paths.join(Paths.join(parent, name), "meta.yaml")) {
                all.insert(name)
            }
        }
        var records: [String: ExperimentRecord] = [:]
        var warnings: [String] = []
        var taken = taken
        // Ids in order: a clash is settled the same way every time.
        for text in all.sorted(by: { (ExperimentID(text: $0)?.value ?? .max, $0) < (ExperimentID(text: $1)?.value ?? .max, $1) }) {
            guard let id = ExperimentID(text: text) else {
                warnings.append("'\(Paths.join(tree, text))': not an MLflow experiment folder (its name is not an id); its runs are not adopted")
                continue
            }
            var files = MLflowExperimentFiles()
            var folder = Paths.join(tree, text)
            if !FileSystem.exists(Paths.join(folder, "meta.yaml")), FileSystem.exists(Paths.join(tree, ".trash/" + text + "/meta.yaml")) {
                folder = Paths.join(tree, ".trash/" + text)
                files.deleted = true
            }
            do throws(CairnError) {
                try files.read(folder: folder)
            } catch {
                warnings.append("\(error.message); the experiment \(text) is named by its id")
            }
            var name: ExperimentName?
            if let mlflowName = files.name {
                var trimmed = Substring(mlflowName)
                while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
                do throws(CairnError) {
                    let candidate = try ExperimentName(String(trimmed))
                    try Store.checkNoClash(candidate, with: taken)
                    name = candidate
                } catch {
                    warnings.append("the MLflow experiment \(text) is named \(NameComponent.quoted(mlflowName)), which Cairn cannot use here (\(error.message)); it is named by its id")
                }
            }
            guard let chosen = name ?? (try? ExperimentName(text)) else { continue }
            var record = ExperimentRecord(id: id, name: chosen, createdAt: files.created ?? adoptedAt)
            if files.deleted {
                record.lifecycleStage = "deleted"
                record.deletedAt = files.updated ?? files.created ?? adoptedAt
            }
            if !files.tags.isEmpty { record.tags = files.tags }
            if let updated = files.updated, updated != files.created { record.updatedAt = updated }
            taken.append(record)
            records[text] = record
        }
        return (records, warnings)
    }

    /// Names the experiments of a recognized file store as their records do (rather than by their
    /// folders' ids), and takes the experiments' own files (`meta.yaml`, `tags/…`), which the records
    /// were read from, off the unexplained ones.
    static func name(_ recognition: inout TreeRecognition, experiments: [ExperimentRecord]) {
        var names: [String: String] = [:]
        for record in experiments { names[record.id.description] = record.name.description }
        for index in recognition.runs.indices {
            if let name = names[recognition.runs[index].experimentName] { recognition.runs[index].experimentName = name }
        }
        recognition.unexplained.removeAll { path in
            var parts = path.split(separator: "/", maxSplits: 2).map(String.init)
            if parts.first == ".trash" { parts = path.dropFirst(".trash/".count).split(separator: "/", maxSplits: 2).map(String.init) }
            guard parts.count >= 2, names[parts[0]] != nil else { return false }
            return parts == [parts[0], "meta.yaml"] || (parts[1] == "tags" && parts.count == 3)
        }
    }

    /// Reads the experiment's `meta.yaml` and tag files in `folder`.
    /// - Throws: `CairnError` naming `file:line:column` for a `meta.yaml` that is not YAML.
    mutating func read(folder: String) throws(CairnError) {
        let tagFolder = Paths.join(folder, "tags")
        if FileSystem.isDirectory(tagFolder) {
            for path in try TreeWalker.walk(tagFolder).files {
                let file = Paths.join(tagFolder, path)
                guard let size = FileSystem.fileSize(file), size <= MLflowRunFiles.maxValueBytes else { continue }
                tags[path] = try FileSystem.readText(file)
            }
        }
        let path = Paths.join(folder, "meta.yaml")
        let value = try ConfigFile.parse(try FileSystem.readText(path), fileName: path)
        if case .string(let text)? = value.value(at: ["name"]), !text.isEmpty { name = text }
        if case .string("deleted")? = value.value(at: ["lifecycle_stage"]) { deleted = true }
        if case .int(let n)? = value.value(at: ["creation_time"]) { created = Timestamp(millisecondsSinceEpoch: n) }
        if case .int(let n)? = value.value(at: ["last_update_time"]) { updated = Timestamp(millisecondsSinceEpoch: n) }
    }
}
