import CairnCore
import CairnKit

/// What `cairn demo --json` prints: the runs trained, the best one, and the legacy-tree step, in the
/// shapes of Cairn's JSON output (`CairnAPI` in CairnKit).
public struct DemoAnswer: Codable, Sendable, Equatable {
    /// One setting's run.
    public struct RunResult: Codable, Sendable, Equatable {
        /// The run, as it ended.
        public var run: CairnAPI.Run
        /// The setting's name (the run's name).
        public var setting: String
        /// The hidden layer's width.
        public var hidden: Int
        /// The SGD learning rate.
        public var learningRate: Double
        /// How many epochs were trained.
        public var epochs: Int
        /// The best checkpoint the policy kept (by validation loss), if any.
        public var best: CairnAPI.Checkpoint?
        /// The last checkpoint saved, if kept.
        public var last: CairnAPI.Checkpoint?
        /// Validation accuracy after the last epoch.
        public var validationAccuracy: Double
        /// Validation loss after the last epoch.
        public var validationLoss: Double
        /// The NumPy files saved as the run's artifacts (validation embeddings and predictions).
        public var artifacts: [ArtifactRecord]

        enum CodingKeys: String, CodingKey {
            case run, setting, hidden, epochs, best, last, artifacts
            case learningRate = "learning_rate"
            case validationAccuracy = "val_accuracy"
            case validationLoss = "val_loss"
        }

        /// Encodes every key, absent values as `null` (never a missing key), as `CairnJSON` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(setting, forKey: .setting)
            try c.encode(hidden, forKey: .hidden)
            try c.encode(learningRate, forKey: .learningRate)
            try c.encode(epochs, forKey: .epochs)
            try c.encode(best, forKey: .best)
            try c.encode(last, forKey: .last)
            try c.encode(validationAccuracy, forKey: .validationAccuracy)
            try c.encode(validationLoss, forKey: .validationLoss)
            try c.encode(artifacts, forKey: .artifacts)
        }
    }

    /// The hand-rolled tree adopted, hashed, migrated and verified.
    public struct LegacyTree: Codable, Sendable, Equatable {
        /// The hand-rolled tree's root, absolute.
        public var tree: String
        /// What adopting it found.
        public var adoption: CairnAPI.Adoption
        /// Checkpoints hashed once adopted.
        public var hashed: Int
        /// The migration to the `typed-folders` layout.
        public var migration: CairnAPI.Migration
        /// After the migration: checkpoints whose recorded sha256 came with them.
        public var carried: Int
        /// After the migration: checkpoints checked against their sha256 from before it.
        public var checked: Int
        /// After the migration: checkpoints that did not match.
        public var mismatches: Int
        /// Runs the next command found after the training kept writing the tree.
        public var laterRuns: Int
        /// Checkpoints the next command found after the training kept writing the tree.
        public var laterCheckpoints: Int
        /// The tree migrated to Cairn's own layout and back.
        public var roundTrip: RoundTrip

        enum CodingKeys: String, CodingKey {
            case tree, adoption, hashed, migration, carried, checked, mismatches
            case laterRuns = "later_runs"
            case laterCheckpoints = "later_checkpoints"
            case roundTrip = "round_trip"
        }
    }

    /// The legacy tree migrated to Cairn's own layout and back to `typed-folders`.
    public struct RoundTrip: Codable, Sendable, Equatable {
        /// Files moved into Cairn's layout, and back.
        public var movedThere: Int
        public var movedBack: Int
        /// Files (or link texts) not where they were before, once back: 0 when the tree is as it was.
        public var changedPaths: Int
        /// Checkpoints verified after the round trip, and those that did not match their sha256 from before.
        public var checked: Int
        public var mismatches: Int

        enum CodingKeys: String, CodingKey {
            case checked, mismatches
            case movedThere = "moved_there"
            case movedBack = "moved_back"
            case changedPaths = "changed_paths"
        }
    }

    /// The store's root.
    public var store: String
    /// The experiment the runs went to (`demo/spirals`).
    public var experiment: String
    /// The runs, in the order trained.
    public var runs: [RunResult]
    /// The run with the lowest best validation loss, if any has one.
    public var bestRun: RunID?
    /// The best run's two best checkpoints averaged (safetensors and PyTorch), and how the averaged
    /// model does on the validation set.
    public var average: DemoAverage?
    /// The lifecycle step: the best run's config as a template, a fine-tuning linked to it, interrupted
    /// and resumed.
    public var fineTune: DemoFineTune?
    /// What `gc --keep best,last` would free, and the interrupted fine-tuning run archived.
    public var diskHygiene: DemoDiskHygiene?
    /// The legacy-tree step.
    public var legacyTree: LegacyTree
    /// The store checked against its disk at the end (`cairn doctor --json`'s answer).
    public var health: CairnAPI.Doctor
    /// The best run replayed through MLflow's REST API (`cairn serve` in-process), once done.
    public var mlflowReplay: MLflowReplay? = nil
    /// The runs' metrics written as a TensorBoard logdir and adopted in place.
    public var tensorBoardLogdir: TensorBoardLogdir? = nil

    /// The TensorBoard step: a logdir as `SummaryWriter()` leaves it, adopted, its scalars read back.
    public struct TensorBoardLogdir: Codable, Sendable, Equatable {
        /// The folder holding the logdir (`runs/`), absolute.
        public var tree: String
        /// What adopting it found (layout `tensorboard`, one run per folder of event files).
        public var adoption: CairnAPI.Adoption
        /// Points written to the event files, and read back from the adopted runs.
        public var written: Int
        public var read: Int
        /// Points read back whose step or (float32) value differs from the one logged.
        public var mismatches: Int

        public init(_ outcome: DemoLogdir.Outcome) {
            tree = outcome.tree
            adoption = CairnAPI.Adoption(outcome.adopted)
            written = outcome.written
            read = outcome.read
            mismatches = outcome.mismatches
        }
    }

    /// The runs written as an MLflow file store and adopted in place.
    public var mlflowFileStore: MLflowFileStore? = nil

    /// The MLflow file store step: `mlruns/` as the `mlflow` client writes it, adopted, its runs read back.
    public struct MLflowFileStore: Codable, Sendable, Equatable {
        /// The `mlruns/` folder, absolute.
        public var tree: String
        /// What adopting it found (layout `mlflow`, MLflow's ids kept).
        public var adoption: CairnAPI.Adoption
        /// The experiment's MLflow id and its name from its `meta.yaml`.
        public var experimentID: String
        public var experimentName: String
        /// Runs whose id, name or params read back differ.
        public var runMismatches: Int
        /// Points written to the metric files, and read back from the adopted runs.
        public var written: Int
        public var read: Int
        /// Points read back whose step, value or time differs from the one written.
        public var mismatches: Int
        /// The store migrated to Cairn's own folders (layout `cairn+mlflow`), and what differed after.
        public var migration: CairnAPI.Migration
        public var mismatchesAfterMigration: Int

        public init(_ outcome: DemoFileStore.Outcome) {
            tree = outcome.tree
            adoption = CairnAPI.Adoption(outcome.adopted)
            experimentID = outcome.experimentID
            experimentName = outcome.experimentName
            runMismatches = outcome.runMismatches
            written = outcome.written
            read = outcome.read
            mismatches = outcome.mismatches
            migration = CairnAPI.Migration(outcome.migration)
            mismatchesAfterMigration = outcome.mismatchesAfterMigration
        }

        enum CodingKeys: String, CodingKey {
            case tree, adoption, written, read, mismatches, migration
            case mismatchesAfterMigration = "mismatches_after_migration"
            case experimentID = "experiment_id"
            case experimentName = "experiment_name"
            case runMismatches = "run_mismatches"
        }
    }

    /// The MLflow replay step.
    public struct MLflowReplay: Codable, Sendable, Equatable {
        /// Where the in-process server listened.
        public var url: String
        /// The run the MLflow requests made, as the store lists it.
        public var run: CairnAPI.Run
        /// Metric points logged through `log-batch`, and requests made in all.
        public var points: Int
        public var requests: Int
        /// `runs/search` found the run; `metrics/get-history` gave back every point of a key.
        public var foundBySearch: Bool
        public var historyMatches: Bool
        /// The web UI on the same server: its page served, the runs its table lists, the points of the
        /// best run's loss and the buckets its chart gets.
        public var webUI: WebUI

        /// What the demo checked of the web UI.
        public struct WebUI: Codable, Sendable, Equatable {
            public var page: Bool
            public var runs: Int
            public var chartPoints: Int
            public var chartBuckets: Int

            enum CodingKeys: String, CodingKey {
                case page, runs
                case chartPoints = "chart_points"
                case chartBuckets = "chart_buckets"
            }
        }

        public init(_ outcome: DemoMLflowReplay.Outcome, store: Store) {
            url = outcome.url
            run = store.info(of: outcome.run)
            points = outcome.points
            requests = outcome.requests
            foundBySearch = outcome.foundBySearch
            historyMatches = outcome.historyMatches
            webUI = WebUI(page: outcome.webPage, runs: outcome.webRuns, chartPoints: outcome.webChartPoints, chartBuckets: outcome.webChartBuckets)
        }

        enum CodingKeys: String, CodingKey {
            case url, run, points, requests
            case foundBySearch = "found_by_search"
            case historyMatches = "history_matches"
            case webUI = "web_ui"
        }
    }

    enum CodingKeys: String, CodingKey {
        case store, experiment, runs, health, average
        case bestRun = "best_run"
        case legacyTree = "legacy_tree"
        case fineTune = "fine_tune"
        case diskHygiene = "disk_hygiene"
        case mlflowReplay = "mlflow_replay"
        case tensorBoardLogdir = "tensorboard_logdir"
        case mlflowFileStore = "mlflow_file_store"
    }

    /// Encodes every key, absent values as `null` (never a missing key), as `CairnJSON` writes it.
    /// - Parameter encoder: the encoder to write to.
    /// - Throws: what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(store, forKey: .store)
        try c.encode(experiment, forKey: .experiment)
        try c.encode(runs, forKey: .runs)
        try c.encode(bestRun, forKey: .bestRun)
        try c.encode(average, forKey: .average)
        try c.encode(fineTune, forKey: .fineTune)
        try c.encode(diskHygiene, forKey: .diskHygiene)
        try c.encode(legacyTree, forKey: .legacyTree)
        try c.encode(health, forKey: .health)
        try c.encode(mlflowReplay, forKey: .mlflowReplay)
        try c.encode(tensorBoardLogdir, forKey: .tensorBoardLogdir)
        try c.encode(mlflowFileStore, forKey: .mlflowFileStore)
    }
}

extension DemoReport {
    /// The report as `cairn demo --json` prints it.
    /// - Parameter store: the demo's store (its checkpoints are read for their pointers).
    /// - Returns: the answer.
    /// - Throws: `CairnError` when a run's checkpoint manifest cannot be read.
    public func answer(store: Store) throws(CairnError) -> DemoAnswer {
        var results: [DemoAnswer.RunResult] = []
        for result in runs {
            let view = try RunCheckpoints.view(store: store, run: result.run)
            results.append(DemoAnswer.RunResult(run: CairnAPI.Run(result.summary), setting: result.setting.name, hidden: result.setting.hidden,
                                                learningRate: result.setting.learningRate, epochs: result.setting.epochs,
                                                best: result.best.map { view.checkpoint($0.entry) }, last: result.last.map { view.checkpoint($0.entry) },
                                                validationAccuracy: result.validationAccuracy, validationLoss: result.validationLoss,
                                                artifacts: result.artifacts))
        }
        let legacy = DemoAnswer.LegacyTree(tree: legacyTree.tree, adoption: CairnAPI.Adoption(legacyTree.adopted), hashed: legacyTree.hashed,
                                           migration: CairnAPI.Migration(legacyTree.migrated), carried: legacyTree.carried,
                                           checked: legacyTree.checked, mismatches: legacyTree.mismatches,
                                           laterRuns: legacyTree.laterRuns, laterCheckpoints: legacyTree.laterCheckpoints,
                                           roundTrip: DemoAnswer.RoundTrip(movedThere: legacyTree.roundTrip.movedThere, movedBack: legacyTree.roundTrip.movedBack,
                                                                           changedPaths: legacyTree.roundTrip.changedPaths,
                                                                           checked: legacyTree.roundTrip.checked, mismatches: legacyTree.roundTrip.mismatches))
        var answer = DemoAnswer(store: storeRoot, experiment: Demo.experimentName, runs: results, bestRun: bestRun?.run.id, average: average,
                                fineTune: fineTune, diskHygiene: diskHygiene, legacyTree: legacy, health: health)
        answer.tensorBoardLogdir = logdir.map(DemoAnswer.TensorBoardLogdir.init)
        answer.mlflowFileStore = fileStore.map(DemoAnswer.MLflowFileStore.init)
        return answer
    }
}
