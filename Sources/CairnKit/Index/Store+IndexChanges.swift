import CairnCore
import Glibc

extension Store {
    /// Where processes note the runs they changed for the next process that updates the index: one
    /// empty file per run, named by its id, in `<store>/.cairn/index.changes/`.
    var indexChangesFolder: String { Paths.join(metaRoot, "index.changes") }

    /// True when this process changed runs of a store whose index exists and can be written: what
    /// ``flushIndexChanges()`` would note (a cheap check, no I/O but two `access`/`stat` calls).
    public var hasIndexChanges: Bool {
        index.hasChanges && (index.database != nil || FileSystem.exists(indexPath)) && FileSystem.isWritable(metaRoot)
    }

    /// Notes the runs this process changed for the next update of the index (the next search, in any
    /// process, reads them again before it answers), when the store has an index: a write never
    /// creates it, and never waits for it. Called by the CLI after each command.
    ///
    /// A note is created after the run's files were written and removed before they are read again,
    /// so no change is missed; a note lost to a crash is found by the next sweep of the runs' stamps
    /// (``sweepInterval``).
    /// - Throws: `CairnError` when a note cannot be created (the changes are kept for the next try).
    public func flushIndexChanges() throws(CairnError) {
        guard hasIndexChanges else { return }
        let runs = index.takeChanges()
        do throws(CairnError) {
            try FileSystem.makeDirectories(indexChangesFolder)
            for id in runs {
                let path = Paths.join(indexChangesFolder, id.value)
                let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw SystemError.make("create the index's note", path: path) }
                close(fd)
            }
        } catch {
            index.restore(runs)
            throw error
        }
    }

    /// The runs other processes noted as changed, their notes removed (before the runs are read).
    /// Names that are not run ids are removed too.
    func takeNotedChanges() throws(CairnError) -> Set<RunID> {
        var runs: Set<RunID> = []
        for name in try FileSystem.list(indexChangesFolder) {
            let path = Paths.join(indexChangesFolder, name)
            if unlink(path) != 0 && errno != ENOENT { throw SystemError.make("remove the index's note", path: path) }
            if let id = try? RunID(name) { runs.insert(id) }
        }
        return runs
    }

    /// True when some process noted changes the index has not taken in yet.
    func hasNotedChanges() -> Bool {
        !((try? FileSystem.list(indexChangesFolder)) ?? []).isEmpty
    }
}
