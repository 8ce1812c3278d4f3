import CairnCore
import Logging

extension Store {
    /// `.cairn/tree-folders`: the folders of an adopted tree that can receive runs, with their times.
    var treeFoldersPath: String { Paths.join(metaRoot, TreeFolders.fileName) }
    /// Serializes refreshes of an adopted tree.
    var treeRefreshLockPath: String { Paths.join(metaRoot, "tree-refresh.lock") }

    /// Registers the runs that appeared in an adopted tree since it was adopted or last refreshed: the
    /// training scripts keep writing the old convention, and a new run folder must show in `run ls` and
    /// `latest` without a manual step. Only the folders that can receive runs (the root and the folders
    /// above run folders, `.cairn/tree-folders`) are looked at; those whose modification time changed are
    /// listed, and a subfolder not seen before is walked and explained with the store's layout. New
    /// checkpoints of known runs need nothing: an adopted run's checkpoints are read from its folder.
    /// - Parameter full: list every such folder, changed or not (`cairn adopt --refresh`).
    /// - Returns: the runs and experiments registered.
    /// - Throws: `CairnError` of kind `.conflict` for a store not made by `cairn adopt`; I/O errors.
    @discardableResult
    public func refreshAdoptedTree(full: Bool = false) throws(CairnError) -> CairnAPI.TreeRefresh {
        guard settings.adopted else {
            throw CairnError(.conflict, "'\(root)' was not made by 'cairn adopt': Cairn made every run in it, so there is nothing to read again",
                             hint: "use 'cairn adopt --refresh' on a store made by 'cairn adopt'")
        }
        if !full, let recorded = try TreeFolders.read(treeFoldersPath), recorded.changed(tree: treeRoot).isEmpty {
            return CairnAPI.TreeRefresh(newRuns: [], newExperiments: [], foldersRead: 0)
        }
        guard !hasUnfinishedMigration else {
            throw CairnError(.busy, "a migration of '\(root)' is unfinished", hint: "run 'cairn migrate --resume' to finish it or 'cairn migrate --rollback' to undo it")
        }
        try FileSystem.checkWritable(metaRoot)
        return try FileLock.withLock(treeRefreshLockPath) { () throws(CairnError) -> CairnAPI.TreeRefresh in
            try refreshLocked(full: full)
        }
    }

    /// ``refreshAdoptedTree(full:)`` as the first step of a command: a fault is a warning, never a failure
    /// (the store is read as it was), and a store this process cannot write is left as it is.
    func refreshAdoptedTreeQuietly() {
        guard settings.adopted, !hasUnfinishedMigration else { return }
        do throws(CairnError) {
            if let recorded = try TreeFolders.read(treeFoldersPath), recorded.changed(tree: treeRoot).isEmpty { return }
            guard FileSystem.isWritable(metaRoot) else { return }
            let refresh = try refreshAdoptedTree()
            if !refresh.newRuns.isEmpty {
                logger.info("read \(refresh.newRuns.count) new run folder(s) of the adopted tree",
                            metadata: ["runs": "\(refresh.newRuns.map(\.value).joined(separator: ","))"])
            }
        } catch {
            logger.warning("cannot read the new folders of the adopted tree '\(treeRoot)' (\(error.messageWithCause)); runs made since the last look are not listed: run 'cairn adopt --refresh' once this is fixed",
                           metadata: ["path": "\(treeRoot)"])
        }
    }

    /// The refresh itself, under the refresh lock.
    private func refreshLocked(full: Bool) throws(CairnError) -> CairnAPI.TreeRefresh {
        var knownFolders = Set<String>()
        var taken = Set<String>()
        for experiment in try experiments() {
            // A packed run's folder is in the pack's run table; only runs with a registry file of their
            // own (made since the adoption) are read one by one.
            let own = Set(try FileSystem.list(registryFolder(experiment.id)).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
            for id in try registeredRunIDs(experiment.id) {
                taken.insert(id.value)
                if !own.contains(id.value), let folder = adoptedPack?.folder(of: id) {
                    knownFolders.insert(folder)
                } else if let location = try registryEntry(experiment.id, id) {
                    knownFolders.insert(location.folder)
                }
            }
        }
        // A store adopted before the file existed: every container is read once.
        let watched = try TreeFolders.read(treeFoldersPath)
            ?? TreeFolders(times: Dictionary(uniqueKeysWithValues: TreeFolders.containers(of: knownFolders, layout: layout).map { ($0, Int64(0)) }))
        let toRead = full ? Array(Set(watched.times.keys).union(["."])).sorted() : watched.changed(tree: treeRoot)
        var next = watched
        var files: [String] = []
        var readAt: [String: Int64] = [:]
        for folder in toRead {
            let absolute = TreeFolders.absolute(folder, tree: treeRoot)
            // The time before the entries are read: a change while they are read shows next time.
            guard let time = FileSystem.modificationTime(absolute), FileSystem.isDirectory(absolute) else {
                next.times[folder] = nil
                continue
            }
            next.times[folder] = time
            files += try newFiles(in: folder, absolute: absolute, watched: watched, knownFolders: knownFolders, readAt: &readAt)
        }
        let recognition = TreeRecognizer.recognize(files, layout: layout)
        let newRuns = recognition.runs.filter { !knownFolders.contains($0.folder) }
        let (registered, experimentsMade) = try register(newRuns, taken: taken)
        let containers = TreeFolders.containers(of: newRuns.map(\.folder), layout: layout).subtracting(next.times.keys)
        next.times.merge(TreeFolders(containers, readAt: readAt).times) { _, new in new }
        if next != watched { try AtomicFile.write(next.bytes, to: treeFoldersPath) }
        return CairnAPI.TreeRefresh(newRuns: registered, newExperiments: experimentsMade, foldersRead: toRead.count)
    }

    /// The files of `folder` (relative to the tree) and of its subfolders that are neither watched nor
    /// known run folders (those are looked at on their own), relative to the tree.
    private func newFiles(in folder: String, absolute: String, watched: TreeFolders,
                          knownFolders: Set<String>, readAt: inout [String: Int64]) throws(CairnError) -> [String] {
        var files: [String] = []
        for name in try FileSystem.list(absolute) {
            if folder == ".", treeRoot == root, name == ".cairn" || name == StoreSettings.fileName { continue }
            if name.hasPrefix(AtomicFile.temporaryPrefix) { continue }
            let relative = folder == "." ? name : folder + "/" + name
            let path = Paths.join(absolute, name)
            if FileSystem.isSymbolicLink(path) {
                if !FileSystem.isDirectory(path), FileSystem.leadsSomewhere(path) { files.append(relative) }  // folder links: not followed
            } else if FileSystem.isDirectory(path) {
                if watched.times[relative] != nil || knownFolders.contains(relative) { continue }
                let listing = try TreeWalker.walk(path)
                files += listing.files.map { relative + "/" + $0 }
                for (sub, time) in listing.folderTimes { readAt[sub == "." ? relative : relative + "/" + sub] = time }
            } else {
                files.append(relative)
            }
        }
        return files
    }

    /// Registers runs found in the tree (their experiments made if needed), as adoption records them.
    private func register(_ runs: [RecognizedRun], taken: Set<String>) throws(CairnError) -> (runs: [RunID], experiments: [String]) {
        guard !runs.isEmpty else { return ([], []) }
        var experiments: [String: ExperimentRecord] = [:]
        var made: [String] = []
        for text in Set(runs.map(\.experimentName)).sorted() {
            // MLflow's file store: the folder is the experiment's id, its meta.yaml names a new one.
            if layout.tool == .mlflow {
                guard let id = ExperimentID(text: text) else { continue }
                if let found = try self.experiments().first(where: { $0.id == id }) {
                    experiments[text] = found
                    continue
                }
                let read = MLflowExperimentFiles.records(for: [text], tree: treeRoot, adoptedAt: clock.now(),
                                                         includingEmpty: false, taken: try self.experiments())
                for warning in read.warnings { logger.warning("\(warning)") }
                guard let record = read.records[text] else { continue }
                experiments[text] = try createExperiment(record.name, id: id, parent: nil, config: nil)
                made.append(record.name.description)
                continue
            }
            let name: ExperimentName
            do throws(CairnError) { name = try ExperimentName(text) } catch {
                logger.warning("the layout '\(layout.name)' names an experiment \(NameComponent.quoted(text)) that Cairn cannot use (\(error.message)); its new runs are not listed")
                continue
            }
            if let found = try experimentIfPresent(named: name) {
                experiments[text] = found
            } else {
                experiments[text] = try experimentCreatingIfNeeded(name)
                made.append(text)
            }
        }
        let usable = runs.filter { experiments[$0.experimentName] != nil }
        let ids = AdoptedRunIDs.assign(folders: usable.map(\.folder), fields: usable.map(\.fields), taken: taken)
        var builder = AdoptedRunBuilder(layout: layout, tree: treeRoot, logger: logger, adoptedAt: clock.now())
        for (index, run) in usable.enumerated() {
            try registerAdopted(builder.record(run, id: ids[index], experiment: experiments[run.experimentName]!))
        }
        for warning in builder.warnings { logger.warning("\(warning)") }
        return (ids, made)
    }

    /// Writes an adopted run's records beside the tree (`run.json`, params, tags), then its registry
    /// entry, which makes it visible, then moves its experiment's `latest` pointer.
    private func registerAdopted(_ run: AdoptedRun) throws(CairnError) {
        let id = run.record.id, experiment = run.location.experimentID
        try FileSystem.makeDirectories(runMetaFolder(id))
        try AtomicFile.write(try JSONCoding.encode(run.params), to: Paths.join(runMetaFolder(id), Layout.defaultTemplates[.params]!))
        try AtomicFile.write(try JSONCoding.encode(run.tags), to: Paths.join(runMetaFolder(id), Layout.defaultTemplates[.tags]!))
        try AtomicFile.write(try JSONCoding.encode(run.record), to: Paths.join(runMetaFolder(id), Layout.defaultTemplates[.runRecord]!))
        try withExperimentLock(experiment) { () throws(CairnError) in
            try FileSystem.makeDirectories(registryFolder(experiment))
            try AtomicFile.create(try JSONCoding.encode(run.location), at: registryPath(experiment, id))
        }
        try advanceLatest(experiment, to: id)
    }
}
