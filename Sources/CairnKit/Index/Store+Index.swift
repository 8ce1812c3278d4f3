import CairnCore
import CairnIndex
import CairnIndexPostgres
import Glibc
import Logging

extension Store {
    /// The index's file: `<store>/.cairn/index.sqlite`.
    public var indexPath: String { Paths.join(metaRoot, "index.sqlite") }

    /// How long a hand edit inside a run folder (a metrics CSV appended by a script, `tags.json` edited)
    /// may go unnoticed by searches that would now select the run: every run's files are compared with
    /// their stamps when the last such sweep is older than this. Runs a search returns are always
    /// checked (on a server on a database, a metrics CSV that only grew is taken as current for
    /// ``searchLag`` after its run was last indexed), and new or removed runs are noticed at once.
    public static let sweepInterval: Int64 = 10_000

    /// How old (nanoseconds) the newest metrics rows a search on a database-backed server may leave out
    /// can be: rows appended since its run was last written into the index, while that was this recent
    /// (``RunStamp/isCurrent(text:treeRoot:metricsGrownSince:)``). Every acknowledged batch is in the index.
    static let searchLag: Int64 = 1_000_000_000

    /// The index, opened (created, or migrated from an older schema) on first use. A damaged file is
    /// moved aside with one warning and a new one built; a store this process cannot write has its
    /// index opened read-only.
    /// - Throws: `CairnError` when the index cannot be opened (`unsupported-format` for one of a newer cairn).
    func openIndex() throws(CairnError) -> any RunIndex {
        try index.index { () throws(CairnError) -> any RunIndex in
            if let database = index.database {
                let writable = FileSystem.isWritable(metaRoot)
                return PostgresRunIndex(url: database.url, password: try database.password(), storeID: try storeIDForDatabase(writable: writable),
                                        poolSize: database.poolSize, readOnly: !writable)
            }
            if !FileSystem.isWritable(metaRoot) {
                return try SQLiteRunIndex(path: indexPath, readOnly: true)
            }
            var journal = SQLiteRunIndex.JournalMode.wal
            if let kind = FileSystemKind.walUnsafe(metaRoot) {
                journal = .rollback
                if !FileSystem.exists(indexPath) {
                    logger.warning("the store is on \(kind), where SQLite's write-ahead log is unsafe: its index uses a rollback journal",
                                   metadata: ["path": "\(indexPath)"])
                }
            }
            do throws(CairnError) {
                return try SQLiteRunIndex(path: indexPath, journal: journal)
            } catch where error.kind == .corrupt {
                moveIndexAside(because: error)
                return try SQLiteRunIndex(path: indexPath, journal: journal)
            }
        }
    }

    /// The file that asks the next update of a database index to clear it first (the SQLite index's file is deleted instead).
    var indexRebuildMarker: String { Paths.join(metaRoot, "index.rebuild") }

    /// Where the index lives, for messages and `--json` answers: the SQLite file, or the database's URL.
    public var indexLocation: String { index.database.map { $0.url.description } ?? indexPath }

    /// The URL of the index's PostgreSQL database (no password), nil for the SQLite index.
    public var indexDatabaseURL: String? { index.database?.url.description }

    /// True when the index is in a PostgreSQL database.
    public var indexIsDatabase: Bool { index.database != nil }

    /// Puts the index in the PostgreSQL database at `url` for this process (`--database`,
    /// `$CAIRN_DATABASE`) instead of what `cairn.yaml` says.
    /// - Throws: `invalid-value` for a URL that is not a postgresql:// URL or holds a password.
    public func useIndexDatabase(_ url: String, poolSize: Int? = nil, environment: [String: String]) throws(CairnError) {
        index.database = try IndexDatabase(url, poolSize: poolSize ?? settings.indexPool, environment: environment)
    }

    /// Connects to the index now, creating or migrating its schema and checking that it belongs to this
    /// store (`cairn serve` at start: an unreachable database is one clear error before it listens).
    public func openIndexNow() async throws(CairnError) {
        let opened = try openIndex()
        if let database = opened as? PostgresRunIndex { try await database.check() }
    }

    /// The store's id for a database index: `store_id` from `cairn.yaml`, written there first (format
    /// 1.1) when an older store has none. A store this process cannot write checks nothing.
    private func storeIDForDatabase(writable: Bool) throws(CairnError) -> String? {
        if let id = index.storeID { return id }
        guard writable else { return nil }
        return try FileLock.withLock(storeLockPath) { () throws(CairnError) -> String? in
            // Another process may have written one meanwhile: read the file again under the lock.
            guard let bytes = try FileSystem.readIfPresent(settingsPath) else {
                throw CairnError(.storeNotFound, "'\(settingsPath)' is gone", hint: "is the store being moved?")
            }
            let current = try StoreSettings(yaml: String(decoding: bytes, as: UTF8.self), path: settingsPath)
            if let id = current.storeID {
                index.storeID = id
                return id
            }
            let updated = current.with(storeID: StoreSettings.newStoreID())
            try AtomicFile.write(Array(updated.yaml.utf8), to: settingsPath)
            index.storeID = updated.storeID
            return updated.storeID
        }
    }

    /// Moves a damaged index (and its journal files) aside, with one warning.
    func moveIndexAside(because error: CairnError) {
        index.close()
        let aside = indexPath + ".damaged-\(clock.now().millisecondsSinceEpoch)"
        _ = rename(indexPath, aside)  // Fails only when it is gone already: nothing to keep.
        for suffix in ["-wal", "-shm", "-journal"] { FileSystem.remove(indexPath + suffix) }
        logger.warning("the index was damaged (\(error.cause ?? error.message)); it was moved to '\(aside)' and is rebuilt from the store's files",
                       metadata: ["path": "\(indexPath)"])
    }

    /// Brings the index up to date with what this process changed, the runs other processes noted as
    /// changed (``flushIndexChanges()``), and the runs and experiments that any process added or
    /// removed (one `stat` per experiment). Hand edits inside run folders are
    /// found by searches (``searchRuns(_:)``), which sweep every run's stamps at most every
    /// ``sweepInterval``.
    /// - Throws: `CairnError` when the index or a run's files cannot be read or written.
    public func updateIndex() async throws(CairnError) {
        try await updateIndex(sweep: .never)
    }

    /// For a long-lived process (`cairn serve`): brings the index up to date now, then compares every
    /// run's files with their stamps every ``sweepInterval`` in this task, so that searches no longer do
    /// (on a store of 10,000 runs, the sweep a search would pay every 10 s is tens of thousands of
    /// `stat` calls). Returns when the task is cancelled. A failed sweep is logged and tried again.
    public func sweepIndexPeriodically() async {
        index.sweepsInBackground = true
        defer { index.sweepsInBackground = false }
        while !Task.isCancelled {
            do throws(CairnError) {
                try await updateIndex(sweep: .now)
            } catch {
                // Stopped (the server could not bind its port, or is shutting down): nothing failed.
                if Task.isCancelled { return }
                logger.warning("could not bring the index up to date: \(error.messageWithCause)", metadata: ["path": "\(indexPath)"])
            }
            try? await Task.sleep(for: .milliseconds(Self.sweepInterval))
        }
    }

    /// When an update compares every run's files with their stamps.
    enum IndexSweep {
        case never, whenDue, now
    }

    /// A search's update on a server whose index is a database: every request wrote its own changes
    /// before it was answered (``writeChangesToIndex(through:)``), so this takes none of them and need
    /// not queue behind those writes in the ``IndexWriteGate``; it reads `stale` (runs whose files a page
    /// found changed), other processes' notes, and new or removed runs. Concurrent writers are safe: the
    /// index keeps the later read of a run (`StampOrder`).
    @discardableResult
    func updateIndexForSearch(stale: Set<RunID>) async throws(CairnError) -> [RunLocation] {
        let index = try openIndex()
        let marked = stale.union(try takeNotedChanges())
        // Nothing to read and no folder changed since this process last brought the index up to date:
        // no round trip for the watch (another process's new runs change their registry's stamp).
        if marked.isEmpty, let seen = self.index.lastWatch, seen.missing.isEmpty, foldersMatch(seen) { return [] }
        return try await refresh(index, marked: marked, sweep: .never)
    }

    /// True when the experiments' folder, the adopted pack and every registry the watch knows still
    /// have its stamps, each settled (see ``settledStamp(_:)``).
    private func foldersMatch(_ watch: IndexWatch) -> Bool {
        let root = settledStamp(experimentsRoot)
        guard !root.isEmpty, root == watch.experiments else { return false }
        if let adoptedPack {
            let pack = settledStamp(adoptedPack.path)
            guard !pack.isEmpty, pack == watch.pack else { return false }
        } else if !watch.pack.isEmpty {
            return false
        }
        for (key, stamp) in watch.registries {
            guard let id = ExperimentID(text: key), !stamp.isEmpty, settledStamp(registryFolder(id)) == stamp else { return false }
        }
        return true
    }

    /// True when searches leave this process's changes to the requests that made them: a server whose
    /// index is a database writes each request's changes before answering it.
    var searchesSkipOwnChanges: Bool { index.database != nil && index.sweepsInBackground }

    @discardableResult
    func updateIndex(sweep: IndexSweep) async throws(CairnError) -> [RunLocation] {
        let gate = self.index.writeGate
        await gate.enter()
        let marked: (runs: Set<RunID>, through: UInt64)
        do throws(CairnError) {
            let index = try openIndex()
            if self.index.database != nil, FileSystem.exists(indexRebuildMarker) {
                // The runs' folders moved (a migration): what the database holds is read again from the files.
                try await index.removeAll()
                FileSystem.remove(indexRebuildMarker)
            }
            marked = self.index.takeCountedChanges()
            do throws(CairnError) {
                let missing = try await refresh(index, marked: marked.runs.union(try takeNotedChanges()), sweep: sweep)
                await gate.leave(writtenThrough: marked.through)
                return missing
            } catch {
                self.index.restore(marked.runs)  // Noted again by this process's next flush.
                throw error
            }
        } catch {
            await gate.leave(writtenThrough: nil)
            throw error
        }
    }

    /// How many changes to runs this process made so far (see ``writeChangesToIndex(through:)``).
    public var indexChangeCount: UInt64 { index.changeCount }

    /// Writes the runs this process changed into the index now, through change `count` at least
    /// (``indexChangeCount`` after a request's changes): what `cairn serve` does before it answers a
    /// request that changed runs when its index is a database several servers share, so that what it
    /// acknowledged is in the index. Only the changed runs are read (a metrics file from where it was
    /// left); updates in this process run one at a time, and one that finds its changes written by
    /// another returns at once.
    /// - Throws: `CairnError` when the index or a run's files cannot be read or written (`unavailable`
    ///   for a database that cannot be reached); the changes are kept for the next update.
    public func writeChangesToIndex(through count: UInt64) async throws(CairnError) {
        let gate = index.writeGate
        await gate.enter()
        if await gate.written >= count {
            await gate.leave(writtenThrough: nil)
            return
        }
        let marked = index.takeCountedChanges()
        do throws(CairnError) {
            let index = try openIndex()
            var locations: [RunLocation] = []
            var later: Set<RunID> = []
            for id in marked.runs.sorted() {
                do throws(CairnError) {
                    locations.append(try resolveRun(id.value))
                } catch where error.kind == .notFound {
                    later.insert(id)
                }
            }
            let (runs, gone) = try readRuns(locations)
            try await index.update(runs: runs, removing: [], experiments: [])
            // A run gone or not found is left to the next full update, which warns of a missing folder.
            later.formUnion(gone)
            if !later.isEmpty { self.index.restore(later) }
            await gate.leave(writtenThrough: marked.through)
        } catch {
            self.index.restore(marked.runs)
            await gate.leave(writtenThrough: nil)
            throw error
        }
    }

    /// Brings the index up to date (see ``updateIndex()``).
    /// - Returns: the registered runs whose folder is gone, for a search's warning.
    @discardableResult
    private func refresh(_ index: any RunIndex, marked: Set<RunID>, sweep: IndexSweep) async throws(CairnError) -> [RunLocation] {
        var watch = IndexWatch(json: try await index.metadata(IndexWatch.key))
        let before = watch
        var read = marked
        var found: [RunLocation] = []
        var remove: [RunID] = []
        let rootStamp = settledStamp(experimentsRoot)
        let packStamp = adoptedPack.map { settledStamp($0.path) } ?? ""
        let rootChanged = rootStamp != watch.experiments || packStamp != watch.pack || rootStamp.isEmpty
            || (adoptedPack != nil && packStamp.isEmpty)
        // The experiments' records are read only when their folder changed; otherwise the ids the
        // watch knows are enough to stat their registries.
        let experiments: [ExperimentRecord] = rootChanged ? try self.experiments() : []
        let experimentIDs = rootChanged ? experiments.map(\.id) : watch.registries.keys.compactMap(ExperimentID.init(text:))
        for experimentID in experimentIDs {
            let key = experimentID.description
            let stamp = settledStamp(registryFolder(experimentID))
            guard rootChanged || watch.registries[key] != stamp || stamp.isEmpty else { continue }
            let onDisk = Set(try registeredRunIDs(experimentID))
            let indexed = Set(try await index.stamps(in: [experimentID]).keys)
            for id in onDisk.subtracting(indexed) where !read.contains(id) {
                if let location = try registryEntry(experimentID, id) { found.append(location) }
            }
            remove += indexed.subtracting(onDisk)
            for (id, location) in watch.missing where location.experimentID == experimentID {
                if let run = try? RunID(id), !onDisk.contains(run) { watch.missing[id] = nil }  // A stored id is valid.
            }
            watch.registries[key] = stamp
        }
        if rootChanged {
            let known = Set(experiments.map(\.id.description))
            watch.registries = watch.registries.filter { known.contains($0.key) }
            watch.experiments = rootStamp
            watch.pack = packStamp
        }
        let now = clock.now().millisecondsSinceEpoch
        if sweep == .now || (sweep == .whenDue && (now - watch.sweptAt > Self.sweepInterval || now < watch.sweptAt)) {
            let stamps = try await index.stamps(in: nil).filter { !read.contains($0.key) }.map { ($0.key, $0.value) }
            let current = RunStamp.areCurrent(stamps.map(\.1), treeRoot: treeRoot)
            for (stamp, isCurrent) in zip(stamps, current) where !isCurrent { read.insert(stamp.0) }
            watch.sweptAt = now
        }
        var locations = found
        let seen = Set(found.map(\.id))
        for location in watch.missing.values where !seen.contains(location.id) && FileSystem.isDirectory(absolute(location.folder)) {
            locations.append(location)  // Restored: read again.
        }
        for id in read.sorted() {
            do throws(CairnError) {
                locations.append(try resolveRun(id.value))
            } catch where error.kind == .notFound {
                remove.append(id)
            }
        }
        let (runs, gone) = try readRuns(locations)
        for run in runs { watch.missing[run.facts.record.id.value] = nil }
        for location in locations where gone.contains(location.id) { watch.missing[location.id.value] = location }
        try await index.update(runs: runs, removing: remove + gone, experiments: rootChanged ? experiments : [])
        if watch != before { try await index.setMetadata(IndexWatch.key, try watch.json()) }
        self.index.lastWatch = watch
        return watch.missing.values.sorted { $0.id < $1.id }
    }

    /// A folder's stamp for the index's watch, or "" while it was modified less than a second ago: a
    /// file system's clock ticks coarsely (4 ms and more), so a folder changed twice within one tick
    /// keeps its stamp, and a listing made between the two changes must not be trusted yet.
    func settledStamp(_ path: String) -> String {
        guard let stamp = FileStamp.of(path) else { return "-" }
        return FileStamp.kernelNow() - stamp.modified < 1_000_000_000 ? "" : FileStamp.text(stamp)
    }

    /// The index's view of the runs at these locations, read from their files (on both cores); the ids
    /// of those whose folder is gone.
    func readRuns(_ locations: [RunLocation]) throws(CairnError) -> (runs: [IndexedRun], gone: [RunID]) {
        let results = ParallelMap.map(locations.count, minimumForThreads: 8) { i -> Result<IndexedRun?, CairnError> in
            do throws(CairnError) {
                guard let run = try runIfPresent(at: locations[i]) else { return .success(nil) }
                return .success(try indexedRun(run))
            } catch {
                return .failure(error)
            }
        }
        var runs: [IndexedRun] = [], gone: [RunID] = []
        for (location, result) in zip(locations, results) {
            switch result {
            case .success(let run?): runs.append(run)
            case .success(nil): gone.append(location.id)
            case .failure(let error): throw error
            }
        }
        return (runs, gone)
    }
}

extension Store {
    /// Deletes the index (before run folders move): the next search rebuilds it from the files.
    func removeIndex() {
        index.lastWatch = nil
        if index.database != nil {
            // A database cannot be deleted like a file: the next update clears it and reads every run again.
            _ = try? AtomicFile.write([], to: indexRebuildMarker)
            _ = try? takeNotedChanges()
            return
        }
        index.close()
        for suffix in ["", "-wal", "-shm", "-journal"] { FileSystem.remove(indexPath + suffix) }
        _ = try? takeNotedChanges()
    }
}
