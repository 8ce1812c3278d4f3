/// A metric's points reduced to at most N buckets for drawing: points in step order, cut into N runs of
/// (nearly) equal count; each bucket keeps its first and last step, its last value, and its smallest and
/// largest values, so a spike survives any reduction (a chart draws min to max per bucket).
public enum MetricDownsampling {
    /// One bucket.
    public struct Bucket: Sendable, Equatable {
        /// The first and last step of the points in it.
        public var step: Int64
        public var lastStep: Int64
        /// The value of its last point (in step order), possibly NaN.
        public var value: Double
        /// Its smallest and largest non-NaN values; nil when every value is NaN.
        public var min: Double?
        public var max: Double?
        /// How many points it holds.
        public var count: Int

        public init(step: Int64, lastStep: Int64, value: Double, min: Double?, max: Double?, count: Int) {
            self.step = step
            self.lastStep = lastStep
            self.value = value
            self.min = min
            self.max = max
            self.count = count
        }
    }

    /// The buckets of `points`.
    /// - Parameters:
    ///   - points: one key's points, in any order (sorted by step here, ties kept in the order given).
    ///   - buckets: the most buckets wanted (at least 1); fewer points than that give one bucket each.
    /// - Returns: the buckets, in step order.
    public static func buckets(_ points: [MetricPoint], count buckets: Int) -> [Bucket] {
        guard !points.isEmpty else { return [] }
        // Points are nearly always logged in step order: checked first, sorted (stably) only when not.
        let inOrder = zip(points, points.dropFirst()).allSatisfy { $0.step <= $1.step }
        let sorted = inOrder ? points : points.enumerated().sorted { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }.map(\.element)
        let wanted = Swift.max(1, Swift.min(buckets, sorted.count))
        var result: [Bucket] = []
        result.reserveCapacity(wanted)
        for index in 0..<wanted {
            let start = index * sorted.count / wanted
            let end = (index + 1) * sorted.count / wanted
            var low: Double?, high: Double?
            for point in sorted[start..<end] where !point.value.isNaN {
                low = Swift.min(low ?? point.value, point.value)
                high = Swift.max(high ?? point.value, point.value)
            }
            result.append(Bucket(step: sorted[start].step, lastStep: sorted[end - 1].step, value: sorted[end - 1].value,
                                 min: low, max: high, count: end - start))
        }
        return result
    }
}
