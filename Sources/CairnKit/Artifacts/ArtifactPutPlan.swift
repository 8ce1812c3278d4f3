import CairnCore

/// What putting a file or a folder among a run's artifacts will write, checked before anything is
/// written (``Store/planArtifactPut(_:from:at:)``): every source file and its place.
public struct ArtifactPutPlan: Sendable, Equatable {
    /// One file to copy.
    public struct File: Sendable, Equatable {
        /// The source file, absolute.
        public var source: String
        /// Where it goes.
        public var location: ArtifactLocation
        /// Its size when planned.
        public var bytes: Int64
    }

    /// The files, in the order they are written.
    public var files: [File]
    /// The source given: a file, or a folder whose files these are.
    public var source: String
    /// True when the source is a folder.
    public var sourceIsFolder: Bool

    /// The bytes to copy in all.
    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.bytes } }
}
