import CairnCore

extension CairnAPI {
    /// What `cairn gc` did, or with `dry_run` would do: the checkpoints deleted (the bytes freed), the
    /// runs moved to the trash (the bytes moved there, freed only when the trash is emptied), and the runs
    /// left alone with the reason.
    public struct GarbageCollection: Codable, Sendable, Equatable {
        /// True when nothing was changed.
        public var dryRun: Bool
        /// The `--keep` words, or null when each run's own retention policy decided.
        public var keep: String?
        /// How many runs were looked at (the selected experiments' runs not already in the trash).
        public var runsExamined: Int
        /// The checkpoints deleted, by run id then sequence number.
        public var deletedCheckpoints: [DeletedCheckpoint]
        /// The runs moved to the trash, by id.
        public var trashedRuns: [TrashedRun]
        /// The runs left alone, by id.
        public var skippedRuns: [SkippedRun]
        /// The bytes of the deleted checkpoints: freed.
        public var bytesFreed: Int64
        /// The bytes of the run folders moved to the trash: still on disk until `cairn trash empty`.
        public var bytesTrashed: Int64

        /// A report; the totals are summed from the lists.
        public init(dryRun: Bool, keep: String?, runsExamined: Int, deletedCheckpoints: [DeletedCheckpoint],
                    trashedRuns: [TrashedRun], skippedRuns: [SkippedRun]) {
            self.dryRun = dryRun
            self.keep = keep
            self.runsExamined = runsExamined
            self.deletedCheckpoints = deletedCheckpoints
            self.trashedRuns = trashedRuns
            self.skippedRuns = skippedRuns
            bytesFreed = deletedCheckpoints.reduce(0) { $0 + $1.bytes }
            bytesTrashed = trashedRuns.reduce(0) { $0 + $1.bytes }
        }

        enum CodingKeys: String, CodingKey {
            case keep
            case dryRun = "dry_run"
            case runsExamined = "runs_examined"
            case deletedCheckpoints = "deleted_checkpoints"
            case trashedRuns = "trashed_runs"
            case skippedRuns = "skipped_runs"
            case bytesFreed = "bytes_freed"
            case bytesTrashed = "bytes_trashed"
        }

        /// Encodes every key, `keep` as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(dryRun, forKey: .dryRun)
            try container.encode(keep, forKey: .keep)
            try container.encode(runsExamined, forKey: .runsExamined)
            try container.encode(deletedCheckpoints, forKey: .deletedCheckpoints)
            try container.encode(trashedRuns, forKey: .trashedRuns)
            try container.encode(skippedRuns, forKey: .skippedRuns)
            try container.encode(bytesFreed, forKey: .bytesFreed)
            try container.encode(bytesTrashed, forKey: .bytesTrashed)
        }
    }

    /// A checkpoint `cairn gc` deleted (or would delete).
    public struct DeletedCheckpoint: Codable, Sendable, Equatable {
        /// The run it belonged to.
        public var run: RunID
        /// Its sequence number in the run's manifest.
        public var seq: Int
        /// Where it was, absolute.
        public var path: String
        /// Where it was, relative to the run folder.
        public var relativePath: String
        /// Its size as the manifest records it (0 when its file was already gone).
        public var bytes: Int64
        /// Why it is not kept.
        public var reason: String

        /// A deleted checkpoint.
        public init(run: RunID, seq: Int, path: String, relativePath: String, bytes: Int64, reason: String) {
            self.run = run
            self.seq = seq
            self.path = path
            self.relativePath = relativePath
            self.bytes = bytes
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case run, seq, path, bytes, reason
            case relativePath = "relative_path"
        }
    }

    /// A run `cairn gc` left alone, and why.
    public struct SkippedRun: Codable, Sendable, Equatable {
        /// The run.
        public var run: RunID
        /// Its experiment's name.
        public var experiment: String
        /// Why it was left alone (its owner is alive, its policy cannot be applied, its files cannot be read).
        public var reason: String

        /// A skipped run.
        public init(run: RunID, experiment: String, reason: String) {
            self.run = run
            self.experiment = experiment
            self.reason = reason
        }
    }
}
