#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnFormats

/// Logs a run's metrics to `metrics/<split>/metrics.csv`, one row per point.
///
/// Points are buffered and written when a split's buffer reaches ``flushCount`` points, when
/// ``flushInterval`` seconds have passed since the last write (checked as points arrive), on
/// ``flush()`` and on ``close()``. Safe to call from many threads at once.
public final class MetricLogger: @unchecked Sendable {
    /// The splits Cairn knows by name; any other valid name component may be used too.
    public static let standardSplits = ["train", "eval", "test", "any"]

    public let store: Store
    public let run: Run
    public var flushCount = 65_536
    public var flushInterval = 2.0

    private let mutex = Mutex()
    private var buffers: [String: [MetricPoint]] = [:]
    private var files: [String: MetricsFile] = [:]
    private var lastFlush = HostInfo.now.secondsSinceEpoch

    public init(store: Store, run: Run) {
        self.store = store
        self.run = run
    }

    /// Logs one point. `time` defaults to now.
    public func log(_ key: String, _ value: Double, step: Int64, epoch: Int? = nil, split: String = "train",
                    time: Double? = nil) throws(CairnError) {
        try log([MetricPoint(key: key, value: value, step: step, epoch: epoch, time: time ?? HostInfo.now.secondsSinceEpoch)],
                split: split)
    }

    /// Logs a batch of points to one split.
    public func log(_ points: [MetricPoint], split: String = "train") throws(CairnError) {
        try Self.validate(split: split)
        for point in points { try RunTags.validateKey(point.key, what: "metric name") }
        var ready: [(String, [MetricPoint])] = []
        mutex.withLock {
            buffers[split, default: []].append(contentsOf: points)
            let now = HostInfo.now.secondsSinceEpoch
            if buffers[split]!.count >= flushCount || now - lastFlush >= flushInterval {
                ready = buffers.filter { !$0.value.isEmpty }.map { ($0.key, $0.value) }
                buffers.removeAll(keepingCapacity: true)
                lastFlush = now
            }
        }
        try write(ready)
    }

    /// Writes every buffered point.
    public func flush() throws(CairnError) {
        var ready: [(String, [MetricPoint])] = []
        mutex.withLock {
            ready = buffers.filter { !$0.value.isEmpty }.map { ($0.key, $0.value) }
            buffers.removeAll(keepingCapacity: true)
            lastFlush = HostInfo.now.secondsSinceEpoch
        }
        try write(ready)
    }

    /// Flushes; the logger may still be used afterwards.
    public func close() throws(CairnError) { try flush() }

    private func write(_ ready: [(String, [MetricPoint])]) throws(CairnError) {
        for (split, points) in ready {
            let file = try file(for: split)
            try file.append(MetricsCSV.encodeRows(points))
        }
    }

    private func file(for split: String) throws(CairnError) -> MetricsFile {
        if let file = mutex.withLock({ files[split] }) { return file }
        let file = MetricsFile(path: try store.metricsPath(of: run, split: split))
        mutex.withLock { files[split] = file }
        return file
    }

    /// A split name must be a plain name component (no `/`, `..` or control characters).
    static func validate(split: String) throws(CairnError) {
        try NameComponent.validate(Substring(split), what: "split name", whole: split)
    }
}
