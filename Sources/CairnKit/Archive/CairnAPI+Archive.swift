import CairnCore

extension CairnAPI {
    /// What `cairn archive create`, `extract` and `ls` answer: the archive, its runs, and what was done.
    public struct Archive: Codable, Sendable, Equatable {
        /// `create`, `extract` or `list`.
        public var action: String
        /// The archive's absolute path.
        public var path: String
        /// The runs it holds.
        public var runs: [ArchivedRun]
        /// The experiments the runs belong to, by name; for `extract`, those it created are in `createdExperiments`.
        public var experiments: [String]
        /// The members (files, folders, links; the manifest not counted) and the bytes of the files.
        public var files: Int
        public var bytes: Int64
        /// The archive file's bytes.
        public var compressedBytes: Int64
        /// True when every member was read back and matched the manifest (`create` unless `--no-verify`; `extract` always).
        public var verified: Bool
        /// The runs removed from the store after the archive was verified (`create --remove`).
        public var removed: [RunID]
        /// The experiments `extract` created (their ids kept).
        public var createdExperiments: [String]

        enum CodingKeys: String, CodingKey {
            case action, path, runs, experiments, files, bytes, verified, removed
            case compressedBytes = "compressed_bytes"
            case createdExperiments = "created_experiments"
        }
    }

    /// A run in an archive.
    public struct ArchivedRun: Codable, Sendable, Equatable {
        public var run: RunID
        public var experiment: String
        public var experimentID: ExperimentID
        /// Its folder relative to the store's tree (where `extract` puts it).
        public var folder: String
        public var status: RunStatus
        public var files: Int
        public var bytes: Int64

        enum CodingKeys: String, CodingKey {
            case run, experiment, folder, status, files, bytes
            case experimentID = "experiment_id"
        }

        init(_ run: ArchiveManifest.Run) {
            self.run = run.id
            experiment = run.experiment
            experimentID = run.experimentID
            folder = run.folder
            status = run.status
            files = run.files
            bytes = run.bytes
        }
    }
}
