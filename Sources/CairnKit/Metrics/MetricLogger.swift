import CairnCore
import CairnFormats
import Synchronization

/// Logs a run's metrics to `metrics/<split>/metrics.csv`, one row per point, and, when the run has
/// live TensorBoard event files enabled, to its event file as well (tags `SPLIT/KEY`).
///
/// Points are buffered and written when the buffer reaches ``flushCount`` points, when
/// ``flushInterval`` seconds have passed since the last write (checked as points arrive), on
/// ``flush()`` and on ``close()``. Safe to call from many threads at once; batches are written in the
/// order they were buffered.
///
/// Times (a point's, when not given, and the flush interval's) come from the store's ``Store/clock``.
/// The single-point ``log(_:_:step:epoch:split:time:)`` is made for hot loops: a key and split are
/// validated the first time they are seen, the time is the clock's ``WallClock/coarseNow()`` (with the
/// system clock, the kernel's coarse clock read directly: whole milliseconds, a few nanoseconds), and
/// the lock is held only to append a few plain values to the buffer.
///
/// ```swift
/// let metrics = try MetricLogger(store: store, run: run, tensorBoard: true)
/// try metrics.log("loss", 0.31, step: 1200, epoch: 3)                  // split "train"
/// try metrics.log("accuracy", 0.92, step: 1200, epoch: 3, split: "eval")
/// try metrics.close()                                                  // writes what is buffered
/// ```
public final class MetricLogger: Sendable {
    /// The splits Cairn knows by name; any other valid name component may be used too.
    public static let standardSplits = ["train", "eval", "test", "any"]

    /// The store holding the run.
    public let store: Store
    /// The run the metrics are logged to.
    public let run: Run
    /// Write when this many points are buffered (65,536 by default).
    public var flushCount: Int {
        get { buffer.withLock { $0.flushCount } }
        set { buffer.withLock { $0.flushCount = max(1, newValue) } }
    }

    /// Write when this many seconds have passed since the last write (checked as points arrive; 2 by default).
    public var flushInterval: Double {
        get { buffer.withLock { $0.flushInterval } }
        set { buffer.withLock { $0.flushInterval = newValue } }
    }

    /// What ``buffer`` guards (held only briefly). The state lives in the mutex itself, reached as an
    /// `inout` argument, so the per-point path pays no dynamic exclusivity checks (as class properties
    /// it did: about a fifth of the time).
    private struct Buffer {
        var pending: [PendingPoint] = []
        var series = MetricSeriesTable()
        var lastFlush: Int64
        var flushCount = 65_536
        var flushInterval = 2.0

        /// True when the buffer should be written: full, or the interval has passed.
        @inline(__always)
        func isDue(now: Int64) -> Bool {
            pending.count >= flushCount || Double(now - lastFlush) >= flushInterval * 1000
        }
    }

    /// What ``writing`` guards: it is taken by whoever writes a batch, so batches reach the files in
    /// order. ``buffer`` may be taken inside it, never the other way round.
    private struct Writing {
        var spare: [PendingPoint] = []
        var rows = MetricsCSVRowWriter()
        var files: [MetricsFile?] = []
        /// Live event files: nil until the run's setting has been read.
        var tensorBoard: Bool?
        var events: LiveEventFile?
    }

    private let buffer: Mutex<Buffer>
    private let writing: Mutex<Writing>
    /// The store's clock, and whether it is the system's (then read directly, without a dynamic call).
    private let clock: any WallClock
    private let clockIsSystem: Bool

    /// A logger that writes event files live if the run has them enabled (`cairn.tensorboard=live`,
    /// see ``Store/enableLiveTensorBoard(_:)``), read from the run's tags at the first write.
    /// - Parameters:
    ///   - store: the store holding the run.
    ///   - run: the run to log to.
    public init(store: Store, run: Run) {
        self.store = store
        self.run = run
        clock = store.clock
        clockIsSystem = store.clock is SystemWallClock
        buffer = Mutex(Buffer(lastFlush: clock.coarseNow().millisecondsSinceEpoch))
        writing = Mutex(Writing())
    }

    /// A logger that writes event files live (`tensorBoard: true`, which also enables them for the
    /// run, so that other loggers and `cairn metric log` calls append to the same file) or never
    /// (`false`).
    /// - Parameters:
    ///   - store: the store holding the run.
    ///   - run: the run to log to.
    ///   - tensorBoard: write the run's live event file too (and turn it on for the run), or never.
    /// - Throws: `CairnError` when enabling fails (the run's layout names no event files, or its
    ///   tags cannot be written).
    public convenience init(store: Store, run: Run, tensorBoard: Bool) throws(CairnError) {
        if tensorBoard { try store.enableLiveTensorBoard(run) }
        self.init(store: store, run: run)
        writing.withLock { $0.tensorBoard = tensorBoard }
    }

    /// Logs one point.
    /// - Parameters:
    ///   - key: the metric's name (any printable text).
    ///   - value: the value; NaN and ±infinity are kept.
    ///   - step: the training step.
    ///   - epoch: the epoch, if known.
    ///   - split: `train`, `eval`, `test`, `any`, or another plain name (no `/`).
    ///   - time: seconds since the Unix epoch; defaults to the store clock's time (on a millisecond).
    /// - Throws: `CairnError` for an invalid key or split (the point is not logged), or when a write
    ///   this call triggered fails.
    public func log(_ key: String, _ value: Double, step: Int64, epoch: Int? = nil, split: String = "train",
                    time: Double? = nil) throws(CairnError) {
        let now = milliseconds()
        let seconds = time ?? Double(now) / 1000
        // nil: a new series, registered outside the lock.
        let due = buffer.withLock { buffer -> Bool? in
            guard let index = buffer.series.find(key: key, split: split) else { return nil }
            buffer.pending.append(PendingPoint(series: index, step: step, epoch: epoch, time: seconds, value: value))
            return buffer.isDue(now: now)
        }
        guard let due else {
            let index = try register(key: key, split: split)
            try append([PendingPoint(series: index, step: step, epoch: epoch, time: seconds, value: value)], now: now)
            return
        }
        if due { try write(now: now) }
    }

    /// Logs a batch of points to one split, each with its own step, epoch and time.
    /// - Parameters:
    ///   - points: the points; a point without a time gets an empty `time` in the CSV (the live event
    ///     file stamps it with the time of the write).
    ///   - split: `train`, `eval`, `test`, `any`, or another plain name (no `/`).
    /// - Throws: `CairnError` for an invalid split or key (nothing of the batch is logged), or when
    ///   a write this call triggered fails.
    public func log(_ points: [MetricPoint], split: String = "train") throws(CairnError) {
        try Self.validate(split: split)
        var indexes: [Int32] = []
        indexes.reserveCapacity(points.count)
        for point in points {
            let known = buffer.withLock { $0.series.find(key: point.key, split: split) }
            if let known { indexes.append(known) } else { indexes.append(try register(key: point.key, split: split)) }
        }
        var batch: [PendingPoint] = []
        batch.reserveCapacity(points.count)
        for (point, index) in zip(points, indexes) {
            batch.append(PendingPoint(series: index, step: point.step, epoch: point.epoch, time: point.time, value: point.value))
        }
        try append(batch, now: milliseconds())
    }

    /// Writes every buffered point: each split's rows in one append to its CSV, then the live event
    /// file, if on.
    /// - Throws: `CairnError` when a file cannot be written (that batch's points are not retried).
    public func flush() throws(CairnError) { try write(now: milliseconds()) }

    /// Flushes; the logger may still be used afterwards. Call it before the process ends: points still
    /// buffered are lost otherwise.
    /// - Throws: what ``flush()`` throws.
    public func close() throws(CairnError) { try flush() }

    /// A split name must be a plain name component (no `/`, `..` or control characters, no leading `.`).
    static func validate(split: String) throws(CairnError) {
        try NameComponent.validateVisible(Substring(split), what: "split name", whole: split)
    }

    /// The clock's coarse time in milliseconds since the Unix epoch: the system clock is read directly
    /// on the hot path, any other through the protocol.
    @inline(__always)
    private func milliseconds() -> Int64 {
        clockIsSystem ? SystemWallClock.coarseMilliseconds() : clock.coarseNow().millisecondsSinceEpoch
    }

    // MARK: Buffering

    /// Validates a new series and adds it to the table.
    private func register(key: String, split: String) throws(CairnError) -> Int32 {
        try Self.validate(split: split)
        try RunTags.validateKey(key, what: "metric name")
        return buffer.withLock { $0.series.insert(key: key, split: split) }
    }

    private func append(_ points: [PendingPoint], now: Int64) throws(CairnError) {
        let due = buffer.withLock { buffer in
            buffer.pending.append(contentsOf: points)
            return buffer.isDue(now: now)
        }
        if due { try write(now: now) }
    }

    // MARK: Writing

    /// Takes the buffer and writes it: each split's rows in one append to its CSV, then, if live event
    /// files are on, every point to the run's event file.
    private func write(now: Int64) throws(CairnError) {
        try writing.withLock { (w: inout Writing) throws(CairnError) in
            let table = buffer.withLock { buffer in
                swap(&buffer.pending, &w.spare)
                buffer.lastFlush = now
                return buffer.series
            }
            defer { w.spare.removeAll(keepingCapacity: true) }
            guard !w.spare.isEmpty else { return }
            try writeCSV(w.spare, table, &w)
            // Every append changes the run's facts (counts, last values): the index is told each time,
            // not only when a file is first opened (a long-lived logger: the server's, the agent's).
            store.index.mark(run.id)
            if let events = try liveEventFile(&w) { try writeEvents(w.spare, table, to: events) }
        }
    }

    private func writeCSV(_ batch: [PendingPoint], _ table: MetricSeriesTable, _ w: inout Writing) throws(CairnError) {
        let rows = w.rows
        let splitOf = table.splitOf
        let keyRanges = table.keyFieldRanges
        // Most batches hold one split; rows of other splits are picked up in later passes.
        var done = [Bool](repeating: false, count: table.splits.count)
        var first = 0
        while first < batch.count {
            let split = Int(splitOf[Int(batch[first].series)])
            rows.removeAll()
            var next = batch.count
            let file = try file(split, table, &w)
            // Each series' summary of these rows, for the index's cache of the file (``MetricSummaryCache``),
            // when this process has read the file (a server); nil otherwise.
            var summaries: [MetricSummary?]? = MetricSummaryCache.shared.isTracking(file.path)
                ? [MetricSummary?](repeating: nil, count: table.count) : nil
            var lines = 0
            table.keyFieldBytes.withUnsafeBytes { keyBytes in
                for i in first..<batch.count {
                    let point = batch[i]
                    let s = Int(splitOf[Int(point.series)])
                    if s == split {
                        rows.appendRow(time: point.time, step: point.step, epoch: point.epoch,
                                       keyField: UnsafeRawBufferPointer(rebasing: keyBytes[keyRanges[Int(point.series)]]),
                                       value: point.value)
                        lines += 1
                        if summaries != nil {
                            let series = Int(point.series)
                            let metricPoint = MetricPoint(key: table.keys[series], value: point.value, step: point.step)
                            if summaries![series] != nil {
                                summaries![series]!.add(metricPoint)
                            } else {
                                summaries![series] = MetricSummary(metricPoint)
                            }
                        }
                    } else if !done[s], next == batch.count {
                        next = i
                    }
                }
            }
            done[split] = true
            try rows.withBytes { bytes throws(CairnError) in
                guard let appended = try file.append(bytes), let summaries else { return }
                var byKey: [String: MetricSummary] = [:]
                for (series, summary) in summaries.enumerated() { if let summary { byKey[table.keys[series]] = summary } }
                MetricSummaryCache.shared.noteAppend(at: file.path, inode: appended.inode, offset: appended.offset, rows: bytes,
                                                     lines: lines, summaries: byKey)
            }
            first = next
            while first < batch.count, done[Int(splitOf[Int(batch[first].series)])] { first += 1 }
        }
    }

    private func writeEvents(_ batch: [PendingPoint], _ table: MetricSeriesTable, to events: LiveEventFile) throws(CairnError) {
        let tags = table.tags
        let fallback = Double(milliseconds()) / 1000
        let points = batch.map { MetricPoint(key: tags[Int($0.series)], value: $0.value, step: $0.step, time: $0.time) }
        try events.append(EventFileWriter.encodeScalars(points, wallTimeIfMissing: fallback))
    }

    private func file(_ split: Int, _ table: MetricSeriesTable, _ w: inout Writing) throws(CairnError) -> MetricsFile {
        if split < w.files.count, let file = w.files[split] { return file }
        let file = MetricsFile(path: try store.metricsPath(of: run, split: table.splits[split]))
        store.index.mark(run.id)
        while w.files.count <= split { w.files.append(nil) }
        w.files[split] = file
        return file
    }

    /// The run's live event file, if event files are on for this logger (read from the run's tags
    /// the first time).
    private func liveEventFile(_ w: inout Writing) throws(CairnError) -> LiveEventFile? {
        if w.tensorBoard == nil { w.tensorBoard = try store.liveTensorBoardEnabled(run) }
        guard w.tensorBoard == true else { return nil }
        if w.events == nil { w.events = LiveEventFile(store: store, run: run) }
        return w.events
    }
}
