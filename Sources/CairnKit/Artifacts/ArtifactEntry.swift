/// A file or folder in a run's `artifacts/` folder, as a listing shows it.
public struct ArtifactEntry: Sendable, Equatable {
    /// Its path inside `artifacts/`.
    public var path: String
    public var isDirectory: Bool
    /// Its size in bytes (nil for a folder).
    public var bytes: Int64?

    public init(path: String, isDirectory: Bool, bytes: Int64?) {
        self.path = path
        self.isDirectory = isDirectory
        self.bytes = bytes
    }
}
