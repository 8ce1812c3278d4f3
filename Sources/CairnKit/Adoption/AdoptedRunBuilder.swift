import Glibc
import CairnCore
import CairnFormats
import Logging

/// Turns a run a layout recognised into the records Cairn keeps for it. Reads only sizes and
/// modification times (one `stat` per checkpoint file), the run's config, and the small JSON files a
/// layout's content fields name; never hashes (a checkpoint's sha256 is recorded the first time
/// `ckpt verify` or a migration reads it).
struct AdoptedRunBuilder {
    let layout: Layout
    let tree: String
    /// Where faults the builder survives are reported (a content-field file it cannot read).
    let logger: Logger
    /// The time of the adoption: the start of a run whose folder cannot be read.
    let adoptedAt: Timestamp
    /// Problems worth reporting (a config that cannot be parsed…), as lines.
    var warnings: [String] = []

    /// The roles whose items are checkpoints, and the pointer each names (nil for plain checkpoints).
    static let checkpointRoles: [(LayoutRole, String?)] = [(.checkpoint, nil), (.bestScore, "best_score"),
                                                           (.average, "average"), (.best, "best"), (.last, "last")]

    /// A run's records with its checkpoint manifest (a migration records the tree this way).
    mutating func build(_ run: RecognizedRun, id: RunID, experiment: ExperimentRecord) -> AdoptedRun {
        let manifest = manifest(of: run)
        var adopted = record(run, id: id, experiment: experiment, oldestCheckpoint: manifest.oldest)
        adopted.manifest = manifest.events
        return adopted
    }

    /// A run's records without its manifest (built from the folder when first needed): no `stat` per
    /// checkpoint. The start time is the run's time field, else its oldest checkpoint's mtime when
    /// known (a migration's new folders are younger than their files), else the time its first event
    /// file's name records (a writer names it when it starts), else its folder's mtime.
    mutating func record(_ run: RecognizedRun, id: RunID, experiment: ExperimentRecord,
                         oldestCheckpoint: Int64? = nil) -> AdoptedRun {
        let runFolder = Paths.join(tree, run.folder)
        let start: Timestamp
        if let time = run.fields["start"]?.timeValue {
            start = Timestamp(millisecondsSinceEpoch: time.microsecondsSinceEpoch / 1000)
        } else if let oldestCheckpoint {
            start = Timestamp(millisecondsSinceEpoch: oldestCheckpoint)
        } else if let created = firstEventFileTime(run) {
            start = created
        } else {
            var info = stat()
            start = stat(runFolder, &info) == 0 ? Timestamp(millisecondsSinceEpoch: Self.milliseconds(info.st_mtim)) : adoptedAt
        }
        // A file checkpoint is its own item; a folder checkpoint's files share theirs.
        var count = 0
        var folders = Set<String>()
        for file in run.files where Self.checkpointRoles.contains(where: { $0.0 == file.role }) {
            if file.isInFolderItem { folders.insert(file.item) } else { count += 1 }
        }
        // A run named by its path below the experiment (a TensorBoard logdir's) is named as its id is.
        let name = run.fields["run_path"]?.stringValue.map { $0.split(separator: "/").joined(separator: "-") } ?? Paths.lastComponent(run.folder)
        let record = RunRecord(id: id, name: name, experiment: experiment.name.description,
                               experimentID: experiment.id, status: Self.status(of: run), startTime: start, host: "", user: "",
                               pid: 0, command: [], workingDirectory: nil, git: nil, configSource: nil,
                               configOverrides: [], layout: layout.name)
        var adopted = AdoptedRun(location: RunLocation(id: id, experimentID: experiment.id, folder: run.folder, layout: layout.name),
                                 record: record, params: params(run, runFolder: runFolder), manifest: [],
                                 checkpoints: count + folders.count)
        readToolRecord(run, runFolder: runFolder, into: &adopted)
        return adopted
    }

    /// What the layout's tool recorded of the run itself (Sacred's `run.json`: status, times, host,
    /// command, git; MLflow's `meta.yaml`, params and tags), over what the paths gave. A file that cannot be read is a warning naming it: the
    /// run keeps what the paths say.
    mutating func readToolRecord(_ run: RecognizedRun, runFolder: String, into adopted: inout AdoptedRun) {
        let files = run.files.filter { $0.role == .toolRecord }.map { Paths.join(runFolder, $0.path) }
        switch layout.tool {
        case .sacred?:
            guard let file = files.first else { return }
            do throws(CairnError) {
                try SacredRunFile.read(file).apply(to: &adopted.record, tags: &adopted.tags)
            } catch {
                warnings.append("\(error.message); the run keeps what its folder says")
            }
        case .hydra?:
            adopted.params = HydraJobFiles.resolvingInterpolations(adopted.params)
            let read = HydraJobFiles.read(files)
            read.files.apply(to: &adopted.record, tags: &adopted.tags)
            warnings += read.problems.map { "\($0); the run keeps what its folder says" }
        case .mlflow?:
            let read = MLflowRunFiles.read(run.files.filter { $0.role == .toolRecord }.map(\.path), runFolder: runFolder)
            read.files.apply(to: &adopted)
            warnings += read.problems.map { "\($0); the run keeps what its folder says" }
        case nil:
            return
        }
    }

    /// A run's checkpoint manifest as its folder holds it now (see docs/FORMAT.md, Adopted stores), and
    /// the oldest checkpoint's mtime (milliseconds).
    func manifest(of run: RecognizedRun) -> (events: [ManifestEvent], oldest: Int64?) {
        let runFolder = Paths.join(tree, run.folder)
        var events: [ManifestEvent] = []
        var seq = 0
        var oldest: Int64?
        var seen = Set<String>()
        var plain: [(seq: Int, path: String, epoch: Int, step: Int, time: Int64)] = []
        var pointers: [String: (seq: Int, path: String)] = [:]
        var seqOfItem: [String: Int] = [:]
        var unusable = UnusableContentFiles()
        defer { unusable.warn(logger, layout: layout) }
        for (role, pointer) in Self.checkpointRoles {
            let items = run.items(role)
            // Sort keys computed once per item, not per comparison.
            let ordered = items.map { item, files in
                (item: item, files: files, epoch: files[0].fields["epoch"]?.intValue ?? -1, step: files[0].fields["step"]?.intValue ?? -1)
            }.sorted { a, b in (a.epoch, a.step) != (b.epoch, b.step) ? (a.epoch, a.step) < (b.epoch, b.step) : a.item < b.item }
            for (item, files, _, _) in ordered where seen.insert(item).inserted {
                let isFolder = files[0].isInFolderItem
                // A pointer that is a symlink to a checkpoint of the run is that checkpoint, not another.
                if let pointer, !isFolder, let target = symlinkTarget(item, runFolder: runFolder), let targetSeq = seqOfItem[target] {
                    if pointers[pointer] == nil { pointers[pointer] = (targetSeq, target) }
                    continue
                }
                // Names win over what the folder's files say.
                let fields = isFolder ? ContentFieldReader.fields(layout, folder: Paths.join(runFolder, item), unusable: &unusable).merging(files[0].fields)
                                      : files[0].fields
                var bytes: Int64 = 0
                var newest: Int64 = 0
                var members: [String] = []
                for file in files {
                    var info = stat()
                    guard stat(Paths.join(runFolder, file.path), &info) == 0 else { continue }
                    bytes += Int64(info.st_size)
                    newest = max(newest, Self.milliseconds(info.st_mtim))
                    if isFolder { members.append(String(decoding: file.path.utf8.dropFirst(item.utf8.count + 1), as: UTF8.self)) }
                }
                seq += 1
                oldest = min(oldest ?? newest, newest)
                var metrics: [String: Double] = [:]
                if let score = fields["score"]?.doubleValue { metrics["score"] = score }
                let epoch = fields["epoch"]?.intValue
                let step = fields["step"]?.intValue
                seqOfItem[item] = seq
                let time = Timestamp(millisecondsSinceEpoch: newest)
                events.append(.begin(.init(seq: seq, path: item, kind: isFolder ? .folder : .file, epoch: epoch, step: step,
                                           metrics: metrics, bytes: bytes, sha256: "", files: isFolder ? members.sorted() : nil,
                                           time: time)))
                events.append(.commit(.init(seq: seq, decision: "adopted (\(role.rawValue) in layout \(layout.name))", time: time)))
                if let pointer {
                    if pointers[pointer] == nil { pointers[pointer] = (seq, item) }
                } else {
                    plain.append((seq, item, epoch ?? -1, step ?? -1, newest))
                }
            }
        }
        // A tree without its own `last` file: the newest checkpoint is the last one (the greatest step,
        // then epoch, then modification time); without `best`, the checkpoint whose name holds the best
        // score is.
        if pointers["last"] == nil, let newest = plain.max(by: { ($0.step, $0.epoch, $0.time, $0.seq) < ($1.step, $1.epoch, $1.time, $1.seq) }) {
            pointers["last"] = (newest.seq, newest.path)
        }
        if pointers["best"] == nil, let scored = pointers["best_score"] { pointers["best"] = scored }
        // A run that kept only a best (model-type experiments' save_strategy: best): that is also its last.
        if pointers["last"] == nil, let only = pointers["best"] ?? pointers["average"] { pointers["last"] = only }
        let pointerTime = Timestamp(millisecondsSinceEpoch: oldest ?? 0)
        for name in pointers.keys.sorted() {
            let target = pointers[name]!
            events.append(.pointer(.init(name: name, seq: target.seq, path: target.path, mechanism: "adopted", time: pointerTime)))
        }
        return (events, oldest)
    }

    /// An adopted run's status: SCHEDULED for a folder that holds only its config (generated, never
    /// trained), else FINISHED.
    static func status(of run: RecognizedRun) -> RunStatus {
        run.files.allSatisfy { $0.role == .config } ? .scheduled : .finished
    }

    /// The checkpoint (relative to the run folder) that the file `item` of the run is a symbolic link to,
    /// if it is one whose target is inside the run folder.
    func symlinkTarget(_ item: String, runFolder: String) -> String? {
        let path = Paths.join(runFolder, item)
        guard let resolved = PointerWriter.resolve(path), resolved != path, resolved.hasPrefix(runFolder + "/") else { return nil }
        return String(resolved.dropFirst(runFolder.count + 1))
    }

    /// The earliest creation time the names of the run's event files record (`events.out.tfevents.{time:int}.…`).
    func firstEventFileTime(_ run: RecognizedRun) -> Timestamp? {
        guard let template = layout.template(.events) else { return nil }
        let seconds = run.files.lazy.filter { $0.role == .events }.compactMap { template.match($0.path)?["time"]?.intValue }.min()
        return seconds.map { Timestamp(millisecondsSinceEpoch: Int64($0) * 1000) }
    }

    static func milliseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec / 1_000_000) }

    /// The run's config, flattened into params (`training.lr` → `0.001`), when it has a YAML or JSON one.
    mutating func params(_ run: RecognizedRun, runFolder: String) -> [String: String] {
        guard let config = run.files.first(where: { $0.role == .config && !$0.isInFolderItem }) else { return [:] }
        let path = Paths.join(runFolder, config.path)
        guard FileSystem.fileSize(path).map({ $0 <= 16 << 20 }) == true else { return [:] }
        do throws(CairnError) {
            let text = try FileSystem.readText(path)
            let value = path.hasSuffix(".json") ? try ConfigJSON.parse(text, fileName: path) : try ConfigFile.parse(text, fileName: path)
            var params: [String: String] = [:]
            for (key, value) in value.flattened() where !key.isEmpty { params[key] = value.description }
            return params
        } catch {
            warnings.append("\(Paths.join(run.folder, config.path)): not read as a config (\(error.message)); the run has no params")
            return [:]
        }
    }
}
