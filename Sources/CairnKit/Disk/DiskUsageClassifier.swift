import CairnCore
import Synchronization

/// Which kind of file (``CairnAPI/DiskUsage/Sizes``) a path inside a run folder is, by the roles of the
/// run's layout; answers are kept by path, since runs of one layout mostly repeat the same names
/// (`checkpoints/epoch_0001.pt`, `metrics/train/metrics.csv`). Safe to use from several threads.
final class DiskUsageClassifier: Sendable {
    enum Kind: UInt8, Sendable { case checkpoints, logs, metrics, artifacts, other }

    private let layout: Layout
    private let files = Mutex<[String: Kind]>([:])
    private let folders = Mutex<[String: Bool]>([:])

    /// Roles whose places are checkpoints (files, or folders whose every file is the checkpoint's).
    private static let checkpointRoles: [LayoutRole] = [.checkpoint, .best, .last, .bestScore, .average]
    /// Cairn's own records of a run: never anything but `other`, whatever the other templates match.
    private static let recordRoles: [LayoutRole] = [.runRecord, .params, .tags, .gitDiff, .config]

    init(layout: Layout) { self.layout = layout }

    /// The kind of the file at `path` (relative to the run folder, `/`-separated).
    func kind(ofFile path: String) -> Kind {
        if let known = files.withLock({ $0[path] }) { return known }
        let kind = classify(path)
        files.withLock { $0[path] = kind }
        return kind
    }

    /// True when the folder at `path` (relative to the run folder) is a folder checkpoint: every file
    /// under it is counted as checkpoints.
    func isCheckpointFolder(_ path: String) -> Bool {
        if let known = folders.withLock({ $0[path] }) { return known }
        let answer = Self.checkpointRoles.contains { layout.match($0, path) != nil }
        folders.withLock { $0[path] = answer }
        return answer
    }

    private func classify(_ path: String) -> Kind {
        func matches(_ roles: [LayoutRole]) -> Bool { roles.contains { layout.match($0, path) != nil } }
        if matches(Self.recordRoles) { return .other }
        if matches(Self.checkpointRoles + [.checkpointManifest]) { return .checkpoints }
        if matches([.log]) { return .logs }
        let name = path.split(separator: "/").last ?? Substring(path)
        if matches([.metrics, .events]) || name.contains(".tfevents.") { return .metrics }
        if path == "artifacts.jsonl" || matches([.artifact, .embeddings, .predictions]) { return .artifacts }
        return .other
    }
}
