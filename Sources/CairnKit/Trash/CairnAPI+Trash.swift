import CairnCore

extension CairnAPI {
    /// What the trash holds (`cairn trash ls`): the runs deleted softly (by `cairn rm`, or MLflow's
    /// `runs/delete` through `cairn serve`), those of experiments deleted softly, and those experiments.
    public struct Trash: Codable, Sendable, Equatable {
        /// The deleted runs and the runs of deleted experiments, oldest id first.
        public var runs: [TrashedRun]
        /// The deleted experiments, by id.
        public var experiments: [TrashedExperiment]
        /// The bytes of every run folder listed.
        public var bytes: Int64

        /// A trash.
        public init(runs: [TrashedRun], experiments: [TrashedExperiment]) {
            self.runs = runs
            self.experiments = experiments
            bytes = runs.reduce(0) { $0 + $1.bytes }
        }
    }

    /// A run in the trash.
    public struct TrashedRun: Codable, Sendable, Equatable {
        /// The run's id.
        public var run: RunID
        /// Its experiment's name.
        public var experiment: String
        /// Its experiment's id.
        public var experimentID: ExperimentID
        /// Its folder, absolute (kept until the trash is emptied).
        public var folder: String
        /// The bytes of the files under its folder (0 when the folder is gone).
        public var bytes: Int64
        /// When it was deleted (its own deletion, else its experiment's); null when not recorded.
        public var deletedAt: Timestamp?
        /// True when the run is here because its experiment was deleted (and the run itself was not).
        public var byExperiment: Bool
        /// `RUNNING`, `FINISHED`, `FAILED` or `KILLED`; null when its record cannot be read.
        public var status: RunStatus?
        /// `alive` when its owner still runs: `rm`, `trash empty` refuse it without `--force`.
        public var liveness: RunLiveness?

        enum CodingKeys: String, CodingKey {
            case run, experiment, folder, bytes, status, liveness
            case experimentID = "experiment_id"
            case deletedAt = "deleted_at"
            case byExperiment = "by_experiment"
        }

        /// Encodes every key, absent values as `null`.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(experiment, forKey: .experiment)
            try c.encode(experimentID, forKey: .experimentID)
            try c.encode(folder, forKey: .folder)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(deletedAt, forKey: .deletedAt)
            try c.encode(byExperiment, forKey: .byExperiment)
            try c.encode(status, forKey: .status)
            try c.encode(liveness, forKey: .liveness)
        }
    }

    /// An experiment in the trash.
    public struct TrashedExperiment: Codable, Sendable, Equatable {
        /// Its id.
        public var id: ExperimentID
        /// Its name.
        public var name: String
        /// When it was deleted; null when not recorded.
        public var deletedAt: Timestamp?
        /// How many runs it still has (all of them in the trash).
        public var runs: Int

        enum CodingKeys: String, CodingKey {
            case id, name, runs
            case deletedAt = "deleted_at"
        }

        /// Encodes every key, an absent time as `null`.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(deletedAt, forKey: .deletedAt)
            try c.encode(runs, forKey: .runs)
        }
    }

    /// What `cairn rm`, `cairn trash restore` or `cairn trash empty` did (or, with `--dry-run`,
    /// would do).
    public struct TrashChange: Codable, Sendable, Equatable {
        /// `delete`, `restore` or `empty`.
        public var action: String
        /// True when nothing was changed (`--dry-run`).
        public var dryRun: Bool
        /// The runs deleted, restored, or removed for good.
        public var runs: [TrashedRun]
        /// The experiments deleted or restored, or (emptying) whose record was removed with their last run.
        public var experiments: [TrashedExperiment]
        /// The bytes of the runs' folders: freed by `empty`.
        public var bytes: Int64

        /// A change.
        public init(action: String, dryRun: Bool, runs: [TrashedRun], experiments: [TrashedExperiment]) {
            self.action = action
            self.dryRun = dryRun
            self.runs = runs
            self.experiments = experiments
            bytes = runs.reduce(0) { $0 + $1.bytes }
        }

        enum CodingKeys: String, CodingKey {
            case action, runs, experiments, bytes
            case dryRun = "dry_run"
        }
    }
}
