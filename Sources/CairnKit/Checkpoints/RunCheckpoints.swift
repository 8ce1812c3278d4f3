import Glibc
import CairnCore
import CairnFormats

/// The checkpoints of one run: saving under a policy, best and last pointers, the manifest,
/// verification, pruning and recovery. Usable from several processes at once (two ranks): saves are
/// serialized by a short lock around the manifest and pointers.
///
/// Opening for writing (``open(store:run:)``) cleans up what an interrupted save left behind.
/// ``save(_:progress:)`` runs in the calling thread; ``saveInBackground(_:)`` hands the work to a
/// background thread, at most one at a time, and its error surfaces at the next save or at ``close()``.
/// ``view(store:run:)`` reads a run's checkpoints without opening them for writing. See
/// <doc:SavingCheckpoints>.
public final class RunCheckpoints: @unchecked Sendable {
    /// The store holding the run.
    public let store: Store
    /// The run whose checkpoints these are.
    public let run: Run
    let layout: Layout
    let manifest: ManifestFile
    let lockPath: String
    let background = BackgroundSave()

    /// Opens a run's checkpoints for saving, after recovering from any interrupted save.
    /// - Parameters:
    ///   - store: the store holding the run.
    ///   - run: the run (``Store/run(_:in:environment:)`` resolves what a user typed).
    /// - Returns: the run's checkpoints, ready for ``save(_:progress:)``.
    /// - Throws: `CairnError` when the store cannot be written (`.permissionDenied`), the run's lock
    ///   cannot be taken, or the manifest cannot be read or repaired.
    public static func open(store: Store, run: Run) throws(CairnError) -> RunCheckpoints {
        let checkpoints = try RunCheckpoints(store: store, run: run)
        try checkpoints.store.checkWritable()
        store.index.mark(run.id)
        try FileSystem.makeDirectories(checkpoints.store.runMetaFolder(checkpoints.run.id))
        try checkpoints.withLock { () throws(CairnError) in
            try checkpoints.materializeAdoptedManifest()
            _ = try checkpoints.recover()
        }
        return checkpoints
    }

    /// A read-only view of a run's checkpoints (no lock, no repair): for listing and queries. Works on
    /// a store this process cannot write. Checkpoints whose file is gone are marked missing and never
    /// answer as best or last. ``read(store:run:)`` also repairs what a killed writer left behind.
    /// - Parameters:
    ///   - store: the store holding the run.
    ///   - run: the run.
    /// - Returns: the run's checkpoints as its manifest records them.
    /// - Throws: `CairnError` when the manifest cannot be read.
    public static func view(store: Store, run: Run) throws(CairnError) -> CheckpointView {
        try RunCheckpoints(store: store, run: run).view()
    }

    init(store: Store, run: Run) throws(CairnError) {
        self.store = store
        self.run = run
        layout = store.settings.layout(named: run.record.layout) ?? store.layout
        manifest = ManifestFile(path: try store.runFilePath(run, .checkpointManifest),
                                snapshotPath: Paths.join(store.runMetaFolder(run.id), "checkpoints.state"))
        lockPath = Paths.join(store.runMetaFolder(run.id), "checkpoints.lock")
        // A run of an adopted store has no manifest file until something changes its checkpoints (one
        // adopted, registered later by a refresh, or made by Cairn and not saved to yet): its
        // checkpoints are read from its folder, as the layout names them.
        if store.settings.adopted, !FileSystem.exists(manifest.path) {
            adoptedManifest = try store.adoptedManifest(of: run)
        } else {
            adoptedManifest = nil
        }
    }

    /// The manifest of an adopted run that has no manifest file yet, built from its folder.
    let adoptedManifest: [UInt8]?

    /// Writes an adopted run's manifest file before the first change to it (another process may have
    /// written the same one first).
    func materializeAdoptedManifest() throws(CairnError) {
        guard let adoptedManifest, !FileSystem.exists(manifest.path) else { return }
        do throws(CairnError) {
            try AtomicFile.create(adoptedManifest, at: manifest.path)
        } catch where error.kind == .alreadyExists {
            // Written by another process in the meantime.
        }
    }

    /// The manifest as it is on disk, checked against the disk (checkpoints whose file is gone are
    /// marked missing), without repairing anything.
    /// - Returns: the run's checkpoints, best and last.
    /// - Throws: `CairnError` when the manifest cannot be read.
    public func view() throws(CairnError) -> CheckpointView {
        try inspect().view
    }

    /// A view of a folded manifest of this run.
    func view(of state: ManifestState, tornTail: Bool) -> CheckpointView {
        var pointers: [String: String] = [:]
        for (name, pointer) in state.pointers { pointers[name] = Paths.join(run.absoluteFolder, pointer.path) }
        return CheckpointView(run: run.id, state: state, runFolder: run.absoluteFolder, pointerPaths: pointers, tornTail: tornTail)
    }

    /// Runs `body` holding the run's checkpoint lock.
    func withLock<T>(_ body: () throws(CairnError) -> T) throws(CairnError) -> T {
        try OwnedLock.withLock(lockPath, clock: store.clock, body)
    }

    /// The layout fields of a checkpoint of this run.
    func fields(epoch: Int?, step: Int?, fileExtension: String, score: Double? = nil) throws(CairnError) -> LayoutFields {
        let experiment = try store.experiment(id: run.record.experimentID)
        var fields = try store.runFields(experiment: experiment, id: run.id, name: run.record.name,
                                         start: run.record.startTime, extra: [:], layout: layout)
        if let epoch { fields["epoch"] = .int(epoch) }
        if let step { fields["step"] = .int(step) }
        fields["ext"] = .string(fileExtension)
        if let score { fields["score"] = .float(score, text: nil) }
        return fields
    }

    /// The policy in force for a call: the call's settings over the experiment's over the store's.
    func policy(for call: CheckpointPolicy) throws(CairnError) -> CheckpointPolicy {
        let experiment = try store.experiment(id: run.record.experimentID)
        let resolved = CheckpointPolicy.resolve(store: try store.storeCheckpointPolicy(),
                                                experiment: try store.checkpointPolicy(of: experiment), call: call)
        try resolved.validate()
        return resolved
    }
}
