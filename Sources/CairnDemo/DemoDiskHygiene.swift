import CairnCore
import CairnKit

/// Disk hygiene, shown on the demo's store: what `cairn gc --keep best,last --dry-run` would free in
/// `demo/spirals` (nothing is deleted), and the fine-tuning's interrupted run written to a verified
/// tar.gz (`cairn archive create RUN -o …`; the run stays in the store: `--remove` would remove it, and
/// `cairn archive extract` bring it back with its id).
public struct DemoDiskHygiene: Sendable, Codable, Equatable {
    /// The dry run of `gc --keep best,last` over the demo's experiment.
    public var gcCheckpoints: Int
    public var gcBytes: Int64
    public var gcRunsExamined: Int
    /// The archive of the interrupted run.
    public var archive: String
    public var archivedRun: RunID
    public var archivedFiles: Int
    public var archivedBytes: Int64
    public var compressedBytes: Int64
    public var verified: Bool

    enum CodingKeys: String, CodingKey {
        case archive, verified
        case gcCheckpoints = "gc_checkpoints"
        case gcBytes = "gc_bytes"
        case gcRunsExamined = "gc_runs_examined"
        case archivedRun = "archived_run"
        case archivedFiles = "archived_files"
        case archivedBytes = "archived_bytes"
        case compressedBytes = "compressed_bytes"
    }

    /// Plans a gc of the demo's experiment and archives `run` into `<store>/archives/`.
    /// - Throws: `CairnError` when the plan cannot be made or the archive written.
    static func make(archiving run: RunID, in store: Store) throws(CairnError) -> DemoDiskHygiene {
        let experiment = try store.experiment(named: try ExperimentName(Demo.experimentName))
        let plan = try store.collectGarbage(GarbageCollectionRequest(experiments: [experiment], keep: try CheckpointPolicy(keeping: "best,last"),
                                                                     keepText: "best,last"), dryRun: true)
        let folder = store.root + "/archives"
        try DemoFiles.makeDirectories(folder)
        let archive = try store.createArchive([run.value], at: folder + "/\(run.value).tar.gz")
        return DemoDiskHygiene(gcCheckpoints: plan.deletedCheckpoints.count, gcBytes: plan.bytesFreed, gcRunsExamined: plan.runsExamined,
                               archive: archive.path, archivedRun: run, archivedFiles: archive.files, archivedBytes: archive.bytes,
                               compressedBytes: archive.compressedBytes, verified: archive.verified)
    }
}
