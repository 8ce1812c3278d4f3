import CairnKit

/// What ``Demo/run(in:settings:report:)`` did: the runs it trained, which one did best, and the legacy
/// tree it adopted and migrated.
public struct DemoReport: Sendable {
    /// The store's root (absolute).
    public var storeRoot: String
    /// The runs, in the order trained.
    public var runs: [DemoRunResult]
    /// The index in ``runs`` of the best run (see ``bestRunIndex(bestValidationLosses:)``); nil when no
    /// run kept a best checkpoint with a finite validation loss.
    public var bestRunIndex: Int?
    /// The best run's two best checkpoints averaged, and the averaged model's validation results.
    public var average: DemoAverage?
    /// The best run's config as a template, fine-tuned from its best checkpoint, interrupted and resumed.
    public var fineTune: DemoFineTune?
    /// What `gc --keep best,last` would free, and the interrupted fine-tuning run archived.
    public var diskHygiene: DemoDiskHygiene?
    /// The hand-rolled tree of the kept checkpoints, adopted and migrated.
    public var legacyTree: DemoLegacyTree.Outcome
    /// The store checked against its disk at the end (`cairn doctor`, nothing repaired).
    public var health: CairnAPI.Doctor
    /// The runs' metrics written as a TensorBoard logdir and adopted in place.
    public var logdir: DemoLogdir.Outcome?
    /// The runs written as an MLflow file store (`mlruns/`) and adopted in place.
    public var fileStore: DemoFileStore.Outcome?

    /// A report.
    /// - Parameters:
    ///   - storeRoot: the store's root (absolute).
    ///   - runs: the runs, in the order trained.
    ///   - bestRunIndex: the index in `runs` of the best run, or nil.
    ///   - average: the best run's checkpoints averaged, or nil.
    ///   - fineTune: the lifecycle step (template, fine-tuning, interruption, resume), or nil.
    ///   - diskHygiene: the gc plan and the archive, or nil.
    ///   - legacyTree: the legacy-tree step's outcome.
    ///   - health: the store's check at the end.
    public init(storeRoot: String, runs: [DemoRunResult], bestRunIndex: Int?, average: DemoAverage? = nil,
                fineTune: DemoFineTune? = nil, diskHygiene: DemoDiskHygiene? = nil, legacyTree: DemoLegacyTree.Outcome, health: CairnAPI.Doctor) {
        self.storeRoot = storeRoot
        self.runs = runs
        self.bestRunIndex = bestRunIndex
        self.average = average
        self.fineTune = fineTune
        self.diskHygiene = diskHygiene
        self.legacyTree = legacyTree
        self.health = health
    }

    /// The best run, if any.
    public var bestRun: DemoRunResult? { bestRunIndex.map { runs[$0] } }

    /// Which run the demo calls best: the one whose best checkpoint has the lowest validation loss.
    /// Only finite losses compete (a run without a best checkpoint, or whose loss is NaN or infinite,
    /// never wins); of equal losses, the earlier run wins.
    /// - Parameter losses: each run's best checkpoint's `val_loss`, in the order trained (nil: none).
    /// - Returns: the index of the best run, or nil when no loss is finite.
    public static func bestRunIndex(bestValidationLosses losses: [Double?]) -> Int? {
        var best: (index: Int, loss: Double)?
        for (index, loss) in losses.enumerated() {
            guard let loss, loss.isFinite else { continue }
            if loss < best?.loss ?? .infinity { best = (index, loss) }
        }
        return best?.index
    }
}
