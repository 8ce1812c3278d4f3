import Glibc
import CairnCore
import CairnFormats
import Logging

extension Store {
    /// Creates a run: its folder (named by the layout), `run.json`, `config.yaml`, `params.json`,
    /// `tags.json`, the git diff when the code is dirty, the owner's lease, and its registry entry.
    ///
    /// Creation is race-free across processes: the run folder is created exclusively and the
    /// registry entry is published with `link`, so two processes never get the same run. A run
    /// becomes visible to other commands only once all its files are written.
    /// - Parameter request: what the run is made of; its experiment is created if needed. Without a
    ///   config, the experiment's `config.yaml` (``experimentConfigPath(of:)``) is the run's, when it has one.
    /// - Returns: the new run, `RUNNING`, its lease held by the request's owner.
    /// - Throws: `CairnError` for an invalid run name or tag key, a layout that cannot name the run
    ///   (a layout field missing from the request, say), a one-run folder already taken
    ///   (`.alreadyExists`) or being claimed by another process (`.busy`), or when the store cannot
    ///   be written. Nothing is written before the request has been checked.
    public func createRun(_ request: RunRequest) throws(CairnError) -> Run {
        try checkWritable()
        try validate(request)
        let experiment = try experimentCreatingIfNeeded(request.experiment)
        var request = request
        // With no config of its own, a run starts from its experiment's config.yaml (`cairn exp new --template`).
        if request.config == nil, let path = try experimentConfigPath(of: experiment) {
            request.config = try Self.readConfig(path)
            request.configSource = path
        }
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            let start = clock.now()
            let id = RunID.generate(at: start, using: &random)
            let fields = try runFields(experiment: experiment, id: id, name: request.name, start: start,
                                       extra: request.layoutFields, layout: layout)
            let folder = try layout.render(.run, fields)
            do throws(CairnError) {
                try claimRunFolder(folder, experiment: experiment)
            } catch where error.kind == .alreadyExists && layout.runFolderHasUniqueField && attempt < 20 {
                usleep(1000)
                continue
            }
            let run = try populateRun(request, id: id, experiment: experiment, folder: folder, fields: fields, start: start)
            index.mark(run.id)
            return run
        }
    }

    /// Checks everything about a request that can be checked before anything is written: the run
    /// name, the tag keys, and that the layout can name the run's folder and files.
    private func validate(_ request: RunRequest) throws(CairnError) {
        if let name = request.name { try NameComponent.validateVisible(Substring(name), what: "run name", whole: name) }
        for (key, value) in request.layoutFields.sorted(by: { $0.key < $1.key }) {
            for component in value.split(separator: "/") {
                try NameComponent.validateVisible(component, what: "the field \(key)'s value", whole: value)
            }
        }
        for key in request.tags.keys { try RunTags.validateKey(key) }
        let now = clock.now()
        let probe = ExperimentRecord(id: ExperimentID(0), name: request.experiment, createdAt: now)
        var random = SystemRandomNumberGenerator()
        let fields = try runFields(experiment: probe, id: RunID.generate(at: now, using: &random), name: request.name,
                                   start: now, extra: request.layoutFields, layout: layout)
        _ = try layout.render(.run, fields)
        for role in [LayoutRole.runRecord, .params, .tags, .config, .log] { _ = try layout.render(role, fields) }
    }

    /// Creates the run folder exclusively; for layouts that keep one run per experiment folder, the
    /// folder may already exist (the experiment's) but must not hold a run yet.
    private func claimRunFolder(_ folder: String, experiment: ExperimentRecord) throws(CairnError) {
        let path = absolute(folder)
        if layout.runFolderHasUniqueField {
            try FileSystem.makeDirectories(Paths.parent(path))
            try FileSystem.makeDirectoryExclusively(path)
            return
        }
        try withExperimentLock(experiment.id) { () throws(CairnError) in
            // The folder is taken if a registered run of this experiment lives in it (an experiment may
            // hold several such folders, as prompt-tree's train-P…/val-P… do), or a run record is there.
            var taken = false
            for id in try registeredRunIDs(experiment.id) where !taken {
                taken = try registryEntry(experiment.id, id)?.folder == folder
            }
            let recordPath = Paths.join(path, try layout.render(.runRecord, [:]))
            if taken || (!settings.adopted && FileSystem.exists(recordPath)) {
                throw CairnError(.alreadyExists,
                                 "the experiment '\(experiment.name)' already has a run in '\(folder)': the layout '\(layout.name)' keeps one run per run folder",
                                 hint: "use a new experiment name (or new layout fields) for a new run, or a layout whose run folder has {run_id}")
            }
            try FileSystem.makeDirectories(path)
            // Reserve the folder for this run before leaving the lock. A claim left by a creator that
            // died (same host, process gone) is taken over; a live one means another run is being made.
            let claim = Paths.join(path, Self.runClaimFile)
            if let bytes = try FileSystem.readIfPresent(claim), !Self.claimOwnerIsAlive(bytes) { FileSystem.remove(claim) }
            let me = "\(getpid()) \(HostInfo.processStartTicks(getpid()).map(String.init) ?? "-") \(HostInfo.hostName)\n"
            do throws(CairnError) {
                try AtomicFile.create(Array(me.utf8), at: claim)
            } catch {
                guard error.kind == .alreadyExists else { throw error }
                throw CairnError(.busy, "another process is creating a run in '\(folder)'", hint: "wait for it to finish, then try again")
            }
        }
    }

    /// The file that reserves a one-run folder while its run is being created.
    static let runClaimFile = ".cairn-run-claim"

    /// Whether the process named in a claim file (`PID START_TICKS HOST`) still lives.
    static func claimOwnerIsAlive(_ bytes: [UInt8]) -> Bool {
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let pid = Int32(parts[0]) else { return false }
        let host = String(parts[2]).trimmingWhitespace
        guard host == HostInfo.hostName else { return true }
        return HostInfo.processIsAlive(pid, startTicks: UInt64(parts[1]))
    }

    private func populateRun(_ request: RunRequest, id: RunID, experiment: ExperimentRecord, folder: String,
                             fields: LayoutFields, start: Timestamp) throws(CairnError) -> Run {
        let runPath = absolute(folder)
        func file(_ role: LayoutRole) throws(CairnError) -> String {
            if let sidecar = sidecarPath(id, role) {
                try FileSystem.makeDirectories(runMetaFolder(id))
                return sidecar
            }
            let path = Paths.join(runPath, try layout.render(role, fields))
            try FileSystem.makeDirectories(Paths.parent(path))
            return path
        }
        var git: GitState?
        let directory = request.workingDirectory ?? Paths.currentDirectory()
        if request.captureGit, let probe = GitProbe.probe(directory) {
            git = probe.state
            if let diff = probe.diff {
                let diffPath = try file(.gitDiff)
                try AtomicFile.write(diff, to: diffPath)
                git?.diffFile = try layout.render(.gitDiff, fields)
            }
        }
        // Always written (`{}` for a run without a config), so that a script can always read it.
        let config = request.config ?? .mapping(ConfigMapping())
        try AtomicFile.write(ConfigFile.yaml(config), to: try file(.config))
        var params: [String: String] = [:]
        for (key, value) in config.flattened() { params[key] = value.description }
        try AtomicFile.write(try JSONCoding.encode(params), to: try file(.params))
        try AtomicFile.write(try JSONCoding.encode(request.tags), to: try file(.tags))
        var record = RunRecord(id: id, name: request.name, experiment: experiment.name.description,
                               experimentID: experiment.id, status: .running, startTime: start,
                               host: HostInfo.hostName, user: HostInfo.userName, pid: getpid(),
                               command: request.command, workingDirectory: directory, git: git,
                               configSource: request.configSource, configOverrides: request.configOverrides,
                               layout: layout.name)
        record.resumedFrom = request.resumedFrom
        try AtomicFile.write(try JSONCoding.encode(record), to: try file(.runRecord))
        FileSystem.remove(Paths.join(runPath, Self.runClaimFile))
        try writeLease(for: id, owner: request.owner, at: start)
        // Publishing the registry entry makes the run visible.
        let location = RunLocation(id: id, experimentID: experiment.id, folder: folder, layout: layout.name)
        try FileSystem.makeDirectories(registryFolder(experiment.id))  // an adopted experiment may have none yet
        try AtomicFile.create(try JSONCoding.encode(location), at: registryPath(experiment.id, id))
        try advanceLatest(experiment.id, to: id)
        return Run(record: record, folder: folder, absoluteFolder: runPath)
    }

    /// The layout fields of a run: its experiment's, plus `run_id`, `run_name`, `start`, and any extras.
    func runFields(experiment: ExperimentRecord, id: RunID, name: String?, start: Timestamp,
                   extra: [String: String], layout: Layout) throws(CairnError) -> LayoutFields {
        var fields = try layout.experimentFields(for: experiment.name, id: experiment.id)
        for (key, value) in extra where fields[key] == nil { fields[key] = .string(value) }
        fields["run_id"] = .string(id.value)
        fields["run_name"] = .string(name ?? id.value)
        fields["start"] = .time(LayoutTime(microsecondsSinceEpoch: start.millisecondsSinceEpoch * 1000))
        return fields
    }

    // MARK: Reading runs

    /// The run at `location`, read from its `run.json`.
    /// - Throws: `CairnError` of kind `.notFound` when the run folder is gone (deleted by hand) or its
    ///   record is.
    func run(at location: RunLocation) throws(CairnError) -> Run {
        guard let run = try runIfPresent(at: location) else {
            throw CairnError(.notFound, "the folder of run \(location.id), '\(absolute(location.folder))', is gone (deleted outside Cairn)",
                             hint: "restore it from a backup, or run 'cairn doctor --fix' to remove the run from the store's registry")
        }
        return run
    }

    /// The run at `location`, or nil when its run folder is gone (deleted by hand): one `run.json`
    /// read, and a `stat` of the folder only when the record is not there (or, in an adopted store,
    /// kept beside the tree).
    /// - Throws: `CairnError` when the record cannot be read, or the folder is there without it.
    func runIfPresent(at location: RunLocation) throws(CairnError) -> Run? {
        let path = try runFilePath(location, .runRecord)
        let folder = absolute(location.folder)
        let record: RunRecord
        if let bytes = try FileSystem.readIfPresent(path) {
            // A record kept beside the tree outlives the run folder.
            if sidecarPath(location.id, .runRecord) != nil, !FileSystem.isDirectory(folder) { return nil }
            record = try JSONCoding.runRecord(from: bytes, path: path)
        } else if !FileSystem.isDirectory(folder) {
            return nil
        } else if let packed = try adoptedPack?.bytes(.record, of: location.id) {
            record = try JSONCoding.runRecord(from: packed, path: adoptedPack!.path)
        } else {
            throw CairnError(.notFound, "the run '\(location.id)' has no record at '\(path)'", hint: "restore it from a backup")
        }
        var run = Run(record: record, folder: location.folder, absoluteFolder: folder)
        run.deletedAt = location.deletedAt
        // A run another tool was still running at adoption: its status is that tool's record's now.
        if !record.status.isTerminal, settings.adopted, let runLayout = settings.layout(named: location.layout) {
            ToolRunRecord.refresh(&run.record, layout: runLayout, runFolder: folder)
        }
        return run
    }

    /// Logs one warning naming the run folders a listing skipped because they are gone.
    func warnMissingRunFolders(_ missing: [RunLocation], consequence: String = "they are not listed") {
        guard !missing.isEmpty else { return }
        let shown = missing.prefix(10).map { "'\(absolute($0.folder))' (run \($0.id))" }.joined(separator: ", ")
        let more = missing.count > 10 ? " and \(missing.count - 10) more" : ""
        let what = missing.count == 1 ? "1 run folder is" : "\(missing.count) run folders are"
        logger.warning("\(what) missing (deleted outside Cairn): \(shown)\(more); \(consequence); 'cairn doctor --fix' removes them from the registry",
                       metadata: ["path": "\(absolute(missing[0].folder))", "run_id": "\(missing[0].id)"])
    }

    /// The run that `reference` names: a full id or a unique prefix of one, optionally within one
    /// experiment, or `latest` (with an experiment): its newest run whose folder is there.
    func run(_ reference: String, in experiment: ExperimentRecord? = nil) throws(CairnError) -> Run {
        if reference == "latest", let experiment { return try latestExistingRun(in: experiment) }
        return try run(at: try resolveRun(reference, in: experiment))
    }

    /// The experiment's newest run whose folder is there. The `latest` pointer names the newest run
    /// (one small read, and the run's own `run.json`); only when that run's folder was deleted by hand
    /// are the older runs tried, newest first, and the missing ones named in one warning.
    /// - Throws: `CairnError` of kind `.notFound` when the experiment has no run, or none whose folder is there.
    func latestExistingRun(in experiment: ExperimentRecord) throws(CairnError) -> Run {
        let location = try resolveRun("latest", in: experiment)
        if let run = try runIfPresent(at: location) { return run }
        var missing = [location]
        for id in try registeredRunIDs(experiment.id).sorted(by: >) where id < location.id {
            guard let entry = try registryEntry(experiment.id, id) else { continue }
            if let run = try runIfPresent(at: entry) {
                warnMissingRunFolders(missing, consequence: "latest is the newest run that exists, \(run.id)")
                return run
            }
            missing.append(entry)
        }
        warnMissingRunFolders(missing, consequence: "no run of the experiment is left")
        throw CairnError(.notFound, "every run of the experiment '\(experiment.name)' is gone: their folders were deleted",
                         hint: "run 'cairn doctor --fix' to remove them from the registry, then start a new run")
    }

    /// The runs of one experiment, or of the whole store, oldest first, each with its liveness.
    ///
    /// A run whose folder is gone (deleted by hand) is left out, and the runs left out are named in one
    /// warning to ``logger``: one missing run never fails the listing.
    /// - Parameter experiment: the experiment, or nil for every run of the store.
    /// - Returns: the runs, sorted by id (their start times).
    /// - Throws: `CairnError` when a registry entry or a run record cannot be read.
    public func runs(in experiment: ExperimentRecord? = nil) throws(CairnError) -> [RunSummary] {
        let experiments = try scope(experiment)
        var summaries: [RunSummary] = []
        var missing: [RunLocation] = []
        for exp in experiments {
            for id in try registeredRunIDs(exp.id) {
                guard let location = try registryEntry(exp.id, id) else { continue }
                guard let run = try runIfPresent(at: location) else {
                    missing.append(location)
                    continue
                }
                summaries.append(RunSummary(run: run, liveness: liveness(of: run.record)))
            }
        }
        warnMissingRunFolders(missing.sorted { $0.id < $1.id })
        return summaries.sorted { $0.run.id < $1.run.id }
    }

    /// The absolute path of one of a run's files, named by the layout the run was created with.
    func runFilePath(_ location: RunLocation, _ role: LayoutRole) throws(CairnError) -> String {
        // Only run.json is named from the registry entry alone; the other files may use the run's own
        // fields (its start time, name…), which run.json holds.
        if let sidecar = sidecarPath(location.id, role) { return sidecar }
        if role != .runRecord { return try runFilePath(try run(at: location), role) }
        let runLayout = settings.layout(named: location.layout) ?? layout
        let experiment = try experiment(id: location.experimentID)
        var fields = try runLayout.experimentFields(for: experiment.name, id: experiment.id)
        fields["run_id"] = .string(location.id.value)
        return Paths.join(absolute(location.folder), try runLayout.render(role, fields))
    }

    /// Cairn's own per-run files, which an adopted store keeps beside the tree, under `.cairn/runs/<run id>/`.
    static let recordRoles: Set<LayoutRole> = [.runRecord, .params, .tags, .gitDiff, .checkpointManifest]

    /// Where an adopted store keeps one of Cairn's own files of a run (`run.json`, `params.json`, …);
    /// nil when the store keeps it in the run folder, as its layout names it.
    func sidecarPath(_ id: RunID, _ role: LayoutRole) -> String? {
        guard settings.adopted, Self.recordRoles.contains(role), let name = Layout.defaultTemplates[role] else { return nil }
        // The folder may not exist yet (a run adopted from the pack): writers make it, readers never do.
        return Paths.join(runMetaFolder(id), name)
    }

    // MARK: Registry

    func experimentLockPath(_ id: ExperimentID) -> String { Paths.join(experimentMetaFolder(id), "lock") }

    /// Runs `body` under the experiment's lock. An adopted experiment, whose record is in the store's
    /// pack, gets its folder here, with the first change to it.
    func withExperimentLock<T>(_ id: ExperimentID, _ body: () throws(CairnError) -> T) throws(CairnError) -> T {
        if adoptedPack?.experiments[id.value] != nil { try FileSystem.makeDirectories(registryFolder(id)) }
        return try FileLock.withLock(experimentLockPath(id), body)
    }
    func registryFolder(_ id: ExperimentID) -> String { Paths.join(experimentMetaFolder(id), "runs") }
    func registryPath(_ experiment: ExperimentID, _ run: RunID) -> String {
        Paths.join(registryFolder(experiment), run.value + ".json")
    }

    /// The ids of the runs registered in an experiment (and, in an adopted store, those its pack
    /// holds), unsorted, each once.
    /// - Parameter removingAbandoned: also remove the temporaries of registry entries whose creator was
    ///   killed (the caller holds the experiment's lock).
    func registeredRunIDs(_ experiment: ExperimentID, removingAbandoned: Bool = false) throws(CairnError) -> [RunID] {
        var ids: [RunID] = []
        let folder = registryFolder(experiment)
        for name in try FileSystem.list(folder) {
            if name.hasPrefix(".") {
                if removingAbandoned && AbandonedTemporaries.isAbandoned(name) { FileSystem.remove(Paths.join(folder, name)) }
                continue
            }
            // A file whose name is not a run id is not a registry entry (a stray file): not a run.
            if name.hasSuffix(".json"), let id = try? RunID(String(name.dropLast(5))) { ids.append(id) }
        }
        if let packed = adoptedPack?.byExperiment[experiment.value] {
            let listed = Set(ids)
            ids += packed.filter { !listed.contains($0) }
        }
        return ids
    }

    /// A run's registry entry: its file, else the adopted pack's record; nil if the run is not registered.
    func registryEntry(_ experiment: ExperimentID, _ id: RunID) throws(CairnError) -> RunLocation? {
        let path = registryPath(experiment, id)
        if let bytes = try FileSystem.readIfPresent(path) { return try JSONCoding.decode(RunLocation.self, from: bytes, path: path) }
        return try adoptedPack?.location(of: id, in: experiment)
    }
}
