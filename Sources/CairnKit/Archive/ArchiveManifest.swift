import CairnCore

/// The manifest of a Cairn archive, `cairn-archive.json`, the archive's last member (docs/FORMAT.md,
/// *Archives*): what it holds (experiments, runs) and every other member with its size, SHA-256 and mode.
public struct ArchiveManifest: Codable, Sendable, Equatable {
    /// The manifest's member name.
    public static let memberName = "cairn-archive.json"
    /// The format this version writes; readers refuse a newer one.
    public static let currentVersion = 1

    /// Always `cairn-archive`.
    public var format: String
    /// The manifest's version.
    public var version: Int
    /// When the archive was made.
    public var createdAt: Timestamp
    /// The layout of the store it came from.
    public var storeLayout: String
    public var experiments: [Experiment]
    public var runs: [Run]
    /// Every member but the manifest, in archive order.
    public var files: [File]

    /// An experiment the runs belong to, and where its record is in the archive.
    public struct Experiment: Codable, Sendable, Equatable {
        public var id: ExperimentID
        public var name: String
        /// The record's member, `.cairn/experiments/<id>/experiment.json`.
        public var record: String
    }

    /// A run: its registry entry's essentials and its record's.
    public struct Run: Codable, Sendable, Equatable {
        public var id: RunID
        public var experimentID: ExperimentID
        public var experiment: String
        /// The run folder, relative to the store's tree (as in the registry entry).
        public var folder: String
        public var layout: String
        public var name: String?
        public var status: RunStatus
        public var startTime: Timestamp
        /// The registry entry's member, `.cairn/experiments/<experiment id>/runs/<run id>.json`.
        public var registry: String
        /// The files of the run folder and their bytes.
        public var files: Int
        public var bytes: Int64

        enum CodingKeys: String, CodingKey {
            case id, experiment, folder, layout, name, status, registry, files, bytes
            case experimentID = "experiment_id"
            case startTime = "start_time"
        }
    }

    /// A member: a file (with its size and SHA-256), a folder, or a link inside its run folder.
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        /// `file`, `directory` or `symlink`.
        public var kind: String
        public var size: Int64
        public var sha256: String?
        /// The permission bits, as a number (`420` is `0o644`).
        public var mode: UInt32
        /// A link's target, relative.
        public var target: String?
    }

    enum CodingKeys: String, CodingKey {
        case format, version, experiments, runs, files
        case createdAt = "created_at"
        case storeLayout = "store_layout"
    }
}
