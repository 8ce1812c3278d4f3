import CairnCore

extension CairnAPI {
    /// One metric of a run reduced to at most N buckets for a chart (the server's
    /// `/api/cairn/v1/runs/RUN/metrics/SPLIT/KEY?points=N`): min and max per bucket, so spikes survive.
    public struct MetricSeries: Codable, Sendable, Equatable {
        public var split: String
        public var key: String
        /// How many points the metric has in all (in the range of steps asked for, if any).
        public var count: Int
        public var buckets: [Bucket]

        /// One bucket: its steps, last value, smallest and largest values (null when all are NaN), size.
        public struct Bucket: Codable, Sendable, Equatable {
            public var step: Int64
            public var lastStep: Int64
            public var value: Double?
            public var min: Double?
            public var max: Double?
            public var count: Int

            public init(_ bucket: MetricDownsampling.Bucket) {
                step = bucket.step
                lastStep = bucket.lastStep
                value = bucket.value.isFinite ? bucket.value : nil
                min = bucket.min.flatMap { $0.isFinite ? $0 : nil }
                max = bucket.max.flatMap { $0.isFinite ? $0 : nil }
                count = bucket.count
            }

            enum CodingKeys: String, CodingKey {
                case step, value, min, max, count
                case lastStep = "last_step"
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(step, forKey: .step)
                try c.encode(lastStep, forKey: .lastStep)
                try c.encode(value, forKey: .value)
                try c.encode(min, forKey: .min)
                try c.encode(max, forKey: .max)
                try c.encode(count, forKey: .count)
            }
        }

        public init(split: String, key: String, count: Int, buckets: [Bucket]) {
            self.split = split
            self.key = key
            self.count = count
            self.buckets = buckets
        }
    }

    /// A piece of a run's log read from a byte offset (the server's long-polled log follow): the complete
    /// lines after `offset`, and where to read next.
    public struct LogPage: Codable, Sendable, Equatable {
        public var lines: [LogLine]
        /// The byte offset after the last complete line given: the next request's `offset`.
        public var next: Int64
        /// True while the run is alive (more may come).
        public var live: Bool

        public init(lines: [LogLine], next: Int64, live: Bool) {
            self.lines = lines
            self.next = next
            self.live = live
        }
    }
}

extension Store {
    /// One metric of a run in at most `points` buckets (``CairnCore/MetricDownsampling``), over all its
    /// steps or those in `steps` (a chart zoomed in: its buckets as fine as its width allows there).
    /// - Throws: `CairnError` for an invalid split, or a metrics file that cannot be read.
    public func metricSeries(of run: Run, split: String, key: String, points: Int,
                             steps: ClosedRange<Int64>? = nil) throws(CairnError) -> CairnAPI.MetricSeries {
        var all = try metricSplits(of: run).contains(split) ? try metrics(of: run, split: split) : []
        // A split of one key in full (the usual chart) is used as read, without a copy of its points.
        if steps != nil || !all.allSatisfy({ $0.key == key }) {
            all = all.filter { $0.key == key && steps?.contains($0.step) != false }
        }
        return CairnAPI.MetricSeries(split: split, key: key, count: all.count,
                                     buckets: MetricDownsampling.buckets(all, count: points).map(CairnAPI.MetricSeries.Bucket.init))
    }

    /// The complete lines of the run's log after byte `offset` (at most `limit` bytes of them).
    /// - Throws: `CairnError` when the log cannot be read.
    public func readLog(of run: Run, from offset: Int64, limit: Int = 1 << 20) throws(CairnError) -> CairnAPI.LogPage {
        let path = try runFilePath(run, .log)
        let live = liveness(of: try self.run(id: run.id).record) == .alive
        guard let size = FileSystem.fileSize(path), size > offset else {
            return CairnAPI.LogPage(lines: [], next: min(offset, FileSystem.fileSize(path) ?? 0), live: live)
        }
        let bytes = try FileSystem.readRange(path, from: offset, count: Int(min(Int64(limit), size - offset)))
        guard let lastNewline = bytes.lastIndex(of: 10) else { return CairnAPI.LogPage(lines: [], next: offset, live: live) }
        let lines = bytes[..<lastNewline].split(separator: 10, omittingEmptySubsequences: false).map { CairnAPI.LogLine(parsing: $0) }
        return CairnAPI.LogPage(lines: lines, next: offset + Int64(lastNewline + 1), live: live)
    }
}
