import CairnCore

extension CairnAPI {
    /// The disk space of a store's runs (`cairn du`): per experiment and per run, split by kind of file,
    /// largest first.
    ///
    /// Sizes are apparent sizes (`st_size`) of regular files; a file with several hard links (a
    /// checkpoint saved with `--link`, a hard-link pointer) is counted once, for the first run (by id)
    /// and the first place a walk meets it; symbolic links (pointers) count nothing.
    public struct DiskUsage: Codable, Sendable, Equatable {
        /// The store's root.
        public var store: String
        /// Every run counted, deleted ones included.
        public var total: Sizes
        /// The part of ``total`` in runs deleted softly (`lifecycle_stage: deleted`).
        public var deleted: Sizes
        /// The experiments, largest first (ties by name).
        public var experiments: [ExperimentUsage]
        /// The runs, largest first (ties by id).
        public var runs: [RunUsage]
        /// Folders that could not be read (their files are not counted), sorted.
        public var unreadable: [String]

        /// A store's disk usage.
        public init(store: String, total: Sizes, deleted: Sizes, experiments: [ExperimentUsage], runs: [RunUsage],
                    unreadable: [String]) {
            self.store = store
            self.total = total
            self.deleted = deleted
            self.experiments = experiments
            self.runs = runs
            self.unreadable = unreadable
        }

        /// Bytes by kind of file.
        public struct Sizes: Codable, Sendable, Equatable {
            /// Checkpoint files and folders (the layout's `checkpoint`, `best`, `last`, `best_score`,
            /// `average` places) and the checkpoint manifest.
            public var checkpoints: Int64 = 0
            /// The training log (the layout's `log`).
            public var logs: Int64 = 0
            /// Metrics CSVs and TensorBoard event files (`metrics`, `events`).
            public var metrics: Int64 = 0
            /// `artifacts/`, `artifacts.jsonl`, and the `embeddings` and `predictions` places.
            public var artifacts: Int64 = 0
            /// Everything else: `run.json`, `params.json`, `tags.json`, `config.yaml`, `git.diff`, stray files.
            public var other: Int64 = 0

            /// The sum of every kind.
            public var total: Int64 { checkpoints + logs + metrics + artifacts + other }

            /// No bytes.
            public init() {}

            /// Sizes by kind.
            public init(checkpoints: Int64, logs: Int64, metrics: Int64, artifacts: Int64, other: Int64) {
                self.checkpoints = checkpoints
                self.logs = logs
                self.metrics = metrics
                self.artifacts = artifacts
                self.other = other
            }

            /// Adds `other`'s bytes to these.
            public static func += (lhs: inout Sizes, rhs: Sizes) {
                lhs.checkpoints += rhs.checkpoints
                lhs.logs += rhs.logs
                lhs.metrics += rhs.metrics
                lhs.artifacts += rhs.artifacts
                lhs.other += rhs.other
            }

            enum CodingKeys: String, CodingKey { case checkpoints, logs, metrics, artifacts, other, total }

            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                checkpoints = try c.decode(Int64.self, forKey: .checkpoints)
                logs = try c.decode(Int64.self, forKey: .logs)
                metrics = try c.decode(Int64.self, forKey: .metrics)
                artifacts = try c.decode(Int64.self, forKey: .artifacts)
                other = try c.decode(Int64.self, forKey: .other)
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(checkpoints, forKey: .checkpoints)
                try c.encode(logs, forKey: .logs)
                try c.encode(metrics, forKey: .metrics)
                try c.encode(artifacts, forKey: .artifacts)
                try c.encode(other, forKey: .other)
                try c.encode(total, forKey: .total)
            }
        }

        /// One experiment's runs together.
        public struct ExperimentUsage: Codable, Sendable, Equatable {
            public var id: ExperimentID
            public var name: String
            /// How many runs it has (deleted ones included).
            public var runs: Int
            /// How many of them are deleted softly.
            public var deletedRuns: Int
            /// Every run's bytes.
            public var bytes: Sizes
            /// The part of ``bytes`` in deleted runs.
            public var deletedBytes: Int64

            /// An experiment's usage.
            public init(id: ExperimentID, name: String, runs: Int, deletedRuns: Int, bytes: Sizes, deletedBytes: Int64) {
                self.id = id
                self.name = name
                self.runs = runs
                self.deletedRuns = deletedRuns
                self.bytes = bytes
                self.deletedBytes = deletedBytes
            }

            enum CodingKeys: String, CodingKey {
                case id, name, runs, bytes
                case deletedRuns = "deleted_runs"
                case deletedBytes = "deleted_bytes"
            }
        }

        /// One run's files.
        public struct RunUsage: Codable, Sendable, Equatable {
            public var id: RunID
            public var name: String?
            /// The experiment's name (as it is now).
            public var experiment: String
            public var experimentID: ExperimentID
            public var status: RunStatus
            /// True for a run deleted softly.
            public var deleted: Bool
            /// The run folder, absolute.
            public var folder: String
            public var bytes: Sizes

            /// A run's usage.
            public init(id: RunID, name: String?, experiment: String, experimentID: ExperimentID, status: RunStatus,
                        deleted: Bool, folder: String, bytes: Sizes) {
                self.id = id
                self.name = name
                self.experiment = experiment
                self.experimentID = experimentID
                self.status = status
                self.deleted = deleted
                self.folder = folder
                self.bytes = bytes
            }

            enum CodingKeys: String, CodingKey {
                case id, name, experiment, status, deleted, folder, bytes
                case experimentID = "experiment_id"
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(id, forKey: .id)
                try c.encode(name, forKey: .name)
                try c.encode(experiment, forKey: .experiment)
                try c.encode(experimentID, forKey: .experimentID)
                try c.encode(status, forKey: .status)
                try c.encode(deleted, forKey: .deleted)
                try c.encode(folder, forKey: .folder)
                try c.encode(bytes, forKey: .bytes)
            }
        }
    }
}
