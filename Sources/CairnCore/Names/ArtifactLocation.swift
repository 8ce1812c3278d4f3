/// Where a run's artifact is: a path inside its `artifacts/` folder, or — for a file a layout role
/// places elsewhere (`embeddings/{split}_embeddings.npy`) — a path inside the run folder with that role.
/// The two never mix up: `embeddings/val_embeddings.npy` inside `artifacts/` and the `embeddings` role's
/// `embeddings/val_embeddings.npy` in the run folder are different files. What a line of
/// `artifacts.jsonl` records (``ArtifactRecord/path`` and ``ArtifactRecord/role``).
public struct ArtifactLocation: Sendable, Hashable, CustomStringConvertible {
    /// The path: inside `artifacts/` when ``role`` is nil, else inside the run folder.
    public let path: ArtifactPath
    /// The layout role that placed the file outside `artifacts/`, or nil.
    public let role: LayoutRole?

    /// A path inside `artifacts/`.
    public init(_ path: ArtifactPath) {
        self.path = path
        role = nil
    }

    /// A file a layout role places outside `artifacts/`.
    /// - Parameters:
    ///   - role: the role (`embeddings`, `predictions`).
    ///   - runPath: the file's path inside the run folder.
    public init(role: LayoutRole, runPath: ArtifactPath) {
        path = runPath
        self.role = role
    }

    /// The path inside the run folder (`artifacts/…` for a file inside `artifacts/`).
    public var runRelativePath: String {
        role != nil ? path.description : (path.components.isEmpty ? "artifacts" : "artifacts/" + path.description)
    }

    /// True when the record describes this location.
    public func isRecorded(by record: ArtifactRecord) -> Bool {
        record.path == path.description && record.role == role?.rawValue
    }

    /// The path, with the role after it when there is one: `embeddings/val_embeddings.npy (embeddings)`.
    public var description: String { role.map { "\(path) (\($0))" } ?? path.description }
}
