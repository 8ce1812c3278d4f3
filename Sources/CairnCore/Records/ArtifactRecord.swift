/// One line of a run's `artifacts.jsonl`: a file written under its `artifacts/` folder, with its
/// digest, so that a copy can be checked and a later change noticed.
public struct ArtifactRecord: Codable, Sendable, Equatable {
    /// The file's path inside `artifacts/`.
    public var path: String
    /// The SHA-256 of its bytes, in lowercase hex.
    public var sha256: String
    /// Its size in bytes.
    public var bytes: Int64
    /// When it was written.
    public var time: Timestamp

    public init(path: String, sha256: String, bytes: Int64, time: Timestamp) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.time = time
    }
}
