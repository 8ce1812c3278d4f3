import CairnCore

extension CairnAPI {
    /// What `cairn adopt` found in a tree and recorded (or, with `dry_run`, would record).
    public struct Adoption: Codable, Sendable, Equatable {
        /// How well one layout explained the tree.
        public struct LayoutScore: Codable, Sendable, Equatable {
            /// The layout's name.
            public var layout: String
            /// How many files it explained.
            public var explained: Int

            /// A layout's score.
            /// - Parameters:
            ///   - layout: the layout's name.
            ///   - explained: how many of the tree's files it explained.
            public init(layout: String, explained: Int) {
                self.layout = layout
                self.explained = explained
            }
        }

        /// One run found in the tree.
        public struct AdoptedRun: Codable, Sendable, Equatable {
            /// The id Cairn gave it.
            public var id: RunID
            /// Its folder, relative to the tree.
            public var folder: String
            /// The name of the experiment it belongs to, as the layout read it from the tree.
            public var experiment: String
            /// How many of its files the layout explained.
            public var files: Int

            /// A run found in the tree.
            /// - Parameters:
            ///   - id: the id Cairn gave it.
            ///   - folder: its folder, relative to the tree.
            ///   - experiment: the name of its experiment.
            ///   - files: how many of its files the layout explained.
            public init(id: RunID, folder: String, experiment: String, files: Int) {
                self.id = id
                self.folder = folder
                self.experiment = experiment
                self.files = files
            }
        }

        /// The tree's root, absolute.
        public var tree: String
        /// The store's root (the tree itself, or the folder given with `--store`).
        public var store: String
        /// The layout chosen.
        public var layout: String
        /// True when nothing was written (`--dry-run`): the report says what adoption would record.
        public var dryRun: Bool
        /// How many files the tree holds, explained or not.
        public var files: Int
        /// How many of them the chosen layout explained.
        public var explained: Int
        /// Checkpoints found.
        public var checkpoints: Int
        /// Every layout tried, best first (one entry when a layout was named).
        public var ranking: [LayoutScore]
        /// Experiment names found, sorted.
        public var experiments: [String]
        /// The runs found, each with the id Cairn gave it.
        public var runs: [AdoptedRun]
        /// Files no role of the layout explains (left as they are, not recorded).
        public var unexplained: [String]
        /// Runs or files skipped, with why.
        public var skipped: [String]
        /// Files adoption read but could not use fully (a config that does not parse…).
        public var warnings: [String]

        /// The report of an adoption, as Cairn answers it.
        /// - Parameter report: what ``CairnKit/Store/adopt(_:logger:clock:progress:)`` found and recorded.
        public init(_ report: AdoptReport) {
            tree = report.tree
            store = report.storeRoot
            layout = report.layout
            dryRun = report.dryRun
            files = report.fileCount
            explained = report.recognition.explainedCount
            checkpoints = report.checkpoints
            ranking = report.ranking.map { LayoutScore(layout: $0.layout, explained: $0.explained) }
            experiments = report.recognition.experimentNames
            runs = zip(report.recognition.runs, report.runIDs).map { run, id in
                AdoptedRun(id: id, folder: run.folder, experiment: run.experimentName, files: run.files.count)
            }
            unexplained = report.recognition.unexplained
            skipped = report.skipped
            warnings = report.warnings
        }

        enum CodingKeys: String, CodingKey {
            case tree, store, layout, files, explained, checkpoints, ranking, experiments, runs, unexplained, skipped, warnings
            case dryRun = "dry_run"
        }
    }
}
