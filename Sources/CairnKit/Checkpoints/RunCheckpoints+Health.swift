import Glibc
import CairnCore
import CairnFormats
import Logging

extension RunCheckpoints {
    /// A run's checkpoints as readers answer them: read from the manifest without a lock, checked
    /// against the disk, and, when an interrupted or killed writer left something behind (a save
    /// still pending, a stable name leading to another checkpoint than the manifest's, a pointer
    /// naming a checkpoint whose file is gone, temporaries of a process that is gone), repaired under
    /// the run's checkpoint lock (``recover()``) before answering. Nothing is repaired on a store this
    /// process cannot write, nor while the run is written from another host: the answer is then the
    /// manifest's, with missing checkpoints left out of best and last.
    /// - Parameters:
    ///   - store: the store holding the run.
    ///   - run: the run.
    /// - Returns: the run's checkpoints.
    /// - Throws: `CairnError` when the manifest cannot be read.
    public static func read(store: Store, run: Run) throws(CairnError) -> CheckpointView {
        let checkpoints = try RunCheckpoints(store: store, run: run)
        var health = try checkpoints.inspect()
        guard health.needsRepair, checkpoints.mayRepair() else { return health.view }
        do throws(CairnError) {
            try checkpoints.repair()
            health = try checkpoints.inspect()
        } catch {
            // The answer stands without the repair: it is the manifest's.
            store.logger.warning("cannot repair the checkpoints of run \(run.id) (\(error.messageWithCause)); answers come from its manifest until a save repairs them",
                                 metadata: ["run_id": "\(run.id)", "path": "\(checkpoints.manifest.path)"])
        }
        return health.view
    }

    /// The manifest as it is on disk, checked against the disk without changing anything.
    func inspect() throws(CairnError) -> CheckpointHealth {
        let (state, torn) = try readState()
        var view = view(of: state, tornTail: torn)
        // The folders where kept checkpoints, pointers and staged saves live, each listed once.
        var relative = Set<String>([""])
        var kept: [(seq: Int, folder: String, name: String)] = []
        var pending: [Int] = []
        // Through forEachPath: a long manifest's entries are read in place, not copied one by one.
        state.forEachPath { index, status, path in
            switch status {
            case .pending: pending.append(state.entries[index].seq)
            case .kept:
                let (folder, name) = Self.split(path)
                relative.insert(folder)
                kept.append((state.entries[index].seq, folder, name))
            default: break
            }
        }
        for pointer in state.pointers.values { relative.insert(Self.split(pointer.path).folder) }
        if let probe = try? checkpointPath(epoch: 0, step: 0, fileExtension: "") { relative.insert(Self.split(probe).folder) }
        var listed: [String: Set<String>] = [:]
        for folder in relative { listed[folder] = Set(try FileSystem.list(Paths.join(run.absoluteFolder, folder))) }
        view.missing = Set(kept.filter { listed[$0.folder]?.contains($0.name) != true }.map(\.seq))

        var abandoned: [String] = []
        for (folder, names) in listed {
            for name in names where AbandonedTemporaries.isAbandoned(name) { abandoned.append(Paths.join(run.absoluteFolder, folder, name)) }
        }
        let meta = store.runMetaFolder(run.id)
        for name in try FileSystem.list(meta) where AbandonedTemporaries.isAbandoned(name) { abandoned.append(Paths.join(meta, name)) }

        // Pointers naming a checkpoint no longer kept or gone answer with the best or last that exists.
        var plan: RetentionPlan?
        for (name, pointer) in state.pointers {
            if let entry = state[seq: pointer.seq], entry.isKept, !view.missing.contains(entry.seq) { continue }
            if plan == nil { plan = RetentionPlanner.plan(Self.existing(state, missing: view.missing, time: store.clock.now()), policy: recordedPolicy(state)) }
            view.substitutes[name] = name == "last" ? plan?.last : name.hasPrefix("best") ? plan?.best : nil
        }
        var problems: [CheckpointHealth.PointerProblem] = []
        for (name, pointer) in state.pointers.sorted(by: { $0.key < $1.key }) {
            let path = Paths.join(run.absoluteFolder, pointer.path)
            let expected = view.entry(pointer: name)
            var info = stat()
            let present = lstat(path, &info) == 0
            let problem: CheckpointHealth.PointerProblem.Kind?
            if let expected {
                if expected.seq != pointer.seq {
                    problem = .moved
                } else if !leads(path, to: view.absolutePath(expected), entry: expected, mechanism: pointer.mechanism) {
                    problem = present ? .misplaced : .dangling
                } else {
                    problem = nil
                }
            } else {
                problem = view.substitutes[name] != nil && present ? .moved : nil
            }
            if let problem {
                problems.append(.init(name: name, path: path, kind: problem, expected: expected?.seq))
                view.pointerPaths[name] = nil
            }
        }
        return CheckpointHealth(view: view, pending: pending, pointerProblems: problems, abandoned: abandoned.sorted())
    }

    /// The manifest, folded, and whether it ended in a torn line; an adopted run without a manifest
    /// file yet is read from its folder.
    private func readState() throws(CairnError) -> (ManifestState, Bool) {
        var (state, torn): (ManifestState, Bool)
        if let adoptedManifest, !FileSystem.exists(manifest.path) {
            (state, torn) = (ManifestState(events: try ManifestCodec.decode(adoptedManifest, path: manifest.path).events), false)
        } else {
            (state, torn) = try manifest.readState()
        }
        // Checkpoints an adopted tree's training wrote since its manifest was: in memory here; the next
        // writer records them.
        for event in try adoptedAdditions(to: state) { state.apply(event) }
        return (state, torn)
    }

    /// Whether the stable name at `path` leads to the checkpoint at `target`: a symlink to it, a hard
    /// link to the same file, or (a copy) something of the checkpoint's kind there.
    private func leads(_ path: String, to target: String, entry: CheckpointEntry, mechanism: String) -> Bool {
        var link = stat(), real = stat()
        guard lstat(path, &link) == 0 else { return false }
        if (link.st_mode & S_IFMT) == S_IFLNK {
            return PointerWriter.resolve(path).map(Paths.normalize) == Paths.normalize(target)
        }
        guard stat(target, &real) == 0 else { return false }
        if (link.st_mode & S_IFMT) == S_IFDIR || mechanism == PointerWriter.Mechanism.copy.rawValue {
            return ((link.st_mode & S_IFMT) == S_IFDIR) == (entry.kind == .folder)
        }
        return link.st_ino == real.st_ino && link.st_dev == real.st_dev
    }

    /// Whether a reader may repair this run now: the store is writable by this process, and the run
    /// is not being written from another host (whose temporaries this host cannot tell from a dead
    /// process's).
    func mayRepair() -> Bool {
        guard access(store.metaRoot, W_OK) == 0, access(run.absoluteFolder, W_OK) == 0 else { return false }
        guard !run.record.status.isTerminal, let lease = try? store.lease(of: run.id) else { return true }  // no lease: nobody writes it
        return lease.host == HostInfo.hostName || store.liveness(of: run.record) != .alive
    }

    /// Repairs what ``inspect()`` found, under the run's lock: ``recover()`` (pending saves, abandoned
    /// temporaries, pointers moved to the best and last that exist), then stable names that still
    /// lead elsewhere than the manifest says are pointed again, and those of pointers that can name no
    /// checkpoint that exists are removed.
    /// - Parameter forgettingMissing: also record each kept checkpoint whose file is gone as pruned,
    ///   with this reason (`cairn doctor --fix`).
    func repair(forgettingMissing reason: String? = nil) throws(CairnError) {
        try store.checkWritable()
        try FileSystem.makeDirectories(store.runMetaFolder(run.id))
        try withLock { () throws(CairnError) in
            try materializeAdoptedManifest()
            let state = try recover()
            if let reason {
                let now = store.clock.now()
                let events = try missingCheckpoints(state).sorted().map { ManifestEvent.prune(.init(seq: $0, reason: reason, time: now)) }
                if !events.isEmpty { try manifest.append(events) }
            }
            let health = try inspect()
            for problem in health.pointerProblems {
                guard let seq = problem.expected, let entry = health.view.state[seq: seq] else {
                    PointerWriter.remove(problem.path)
                    continue
                }
                let relative = health.view.state.pointers[problem.name]?.path ?? ""
                let mechanism = try PointerWriter.point(problem.path, to: health.view.absolutePath(entry), isFolder: entry.kind == .folder)
                try manifest.append([.pointer(.init(name: problem.name, seq: seq, path: relative, mechanism: mechanism.rawValue,
                                                    time: store.clock.now()))])
            }
        }
    }
}
