import CairnCore
import Synchronization

/// The points of metrics files this process read lately, kept while the file is unchanged (same inode,
/// size and modification time; only files last changed a second or more before they were read), so that a server asked for several charts of one run, or for the same
/// chart again, parses each file once. A file that grows (a run logging) is read again. Least recently
/// used files are dropped once the points kept exceed ``budget``.
final class MetricPointCache: Sendable {
    /// The process's cache.
    static let shared = MetricPointCache(budget: 2_000_000)

    /// The most points kept, over all files (about 64 bytes each).
    let budget: Int
    private let state = Mutex(State())

    private struct Entry: Sendable {
        var stamp: FileStamp
        var points: [MetricPoint]
        var used: UInt64
    }

    private struct State: Sendable {
        var entries: [String: Entry] = [:]
        var kept = 0
        var clock: UInt64 = 0
    }

    init(budget: Int) {
        self.budget = budget
    }

    /// The points of the file at `path`: the ones kept when the file is unchanged since, else `read()`'s,
    /// then kept.
    func points(at path: String, read: () throws(CairnError) -> [MetricPoint]) throws(CairnError) -> [MetricPoint] {
        guard let before = FileStamp.of(path) else { return try read() }
        let hit = state.withLock { state -> [MetricPoint]? in
            guard var entry = state.entries[path], entry.stamp == before else { return nil }
            state.clock += 1
            entry.used = state.clock
            state.entries[path] = entry
            return entry.points
        }
        if let hit { return hit }
        let points = try read()
        // Kept only when the file did not change while it was read and its last change is a second old: the
        // file system's clock ticks coarsely, so a file changed twice within one tick may keep its stamp.
        guard FileStamp.of(path) == before, FileStamp.kernelNow() - before.modified >= 1_000_000_000, points.count <= budget else {
            return points
        }
        state.withLock { state in
            if let old = state.entries[path] { state.kept -= old.points.count }
            state.clock += 1
            state.entries[path] = Entry(stamp: before, points: points, used: state.clock)
            state.kept += points.count
            while state.kept > budget, let oldest = state.entries.min(by: { $0.value.used < $1.value.used }) {
                state.kept -= oldest.value.points.count
                state.entries[oldest.key] = nil
            }
        }
        return points
    }
}
