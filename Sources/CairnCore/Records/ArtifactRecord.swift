/// One line of a run's `artifacts.jsonl`: a file written under its `artifacts/` folder, with its
/// digest, so that a copy can be checked and a later change noticed. A file a layout role places
/// outside `artifacts/` (embeddings, predictions) is recorded here too, with its ``role``.
public struct ArtifactRecord: Codable, Sendable, Equatable {
    /// The file's path inside `artifacts/`; inside the run folder when ``role`` is set.
    public var path: String
    /// The layout role that placed the file outside `artifacts/` (`embeddings`, `predictions`), or nil
    /// for a file inside `artifacts/` (absent from the line then).
    public var role: String?
    /// The SHA-256 of its bytes, in lowercase hex.
    public var sha256: String
    /// Its size in bytes.
    public var bytes: Int64
    /// When it was written.
    public var time: Timestamp

    public init(path: String, role: String? = nil, sha256: String, bytes: Int64, time: Timestamp) {
        self.path = path
        self.role = role
        self.sha256 = sha256
        self.bytes = bytes
        self.time = time
    }
}

extension ArtifactRecord {
    /// Where the file is, when the record's path and role are valid (a record written by hand may not be).
    public var location: ArtifactLocation? {
        guard let path = try? ArtifactPath(path) else { return nil }
        guard let role else { return ArtifactLocation(path) }
        guard let layoutRole = LayoutRole(rawValue: role) else { return nil }
        return ArtifactLocation(role: layoutRole, runPath: path)
    }
}
