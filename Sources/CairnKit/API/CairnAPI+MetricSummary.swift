import CairnCore

extension CairnAPI {
    /// One metric of one split of a run, summarized (`metric show`).
    public struct MetricSummary: Codable, Sendable, Equatable {
        /// The split (`train`, `eval`…).
        public var split: String
        /// The metric's name (`loss`).
        public var key: String
        /// The number of points (NaN included).
        public var count: Int
        /// The last value logged (possibly NaN).
        public var last: Double
        /// The step of the last value.
        public var lastStep: Int64
        /// The smallest non-NaN value; null when every value is NaN.
        public var min: Double?
        /// The step of the smallest value; null as for ``min``.
        public var minStep: Int64?
        /// The largest non-NaN value; null when every value is NaN.
        public var max: Double?
        /// The step of the largest value; null as for ``max``.
        public var maxStep: Int64?

        /// A summary of `split`.
        /// - Parameters:
        ///   - summary: the summary of one key's points.
        ///   - split: the split it belongs to.
        public init(_ summary: CairnCore.MetricSummary, split: String) {
            self.split = split
            key = summary.key
            count = summary.count
            last = summary.last
            lastStep = summary.lastStep
            min = summary.min
            minStep = summary.minStep
            max = summary.max
            maxStep = summary.maxStep
        }

        enum CodingKeys: String, CodingKey {
            case split, key, count, last, min, max
            case lastStep = "last_step"
            case minStep = "min_step"
            case maxStep = "max_step"
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(split, forKey: .split)
            try c.encode(key, forKey: .key)
            try c.encode(count, forKey: .count)
            try c.encode(last, forKey: .last)
            try c.encode(lastStep, forKey: .lastStep)
            try c.encode(min, forKey: .min)
            try c.encode(minStep, forKey: .minStep)
            try c.encode(max, forKey: .max)
            try c.encode(maxStep, forKey: .maxStep)
        }

        /// Equal when every field is, two NaN values of ``last`` counting as equal.
        /// - Parameters:
        ///   - lhs: one summary.
        ///   - rhs: the other.
        /// - Returns: whether they are the same summary.
        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.split == rhs.split && lhs.key == rhs.key && lhs.count == rhs.count && lhs.lastStep == rhs.lastStep
                && (lhs.last == rhs.last || (lhs.last.isNaN && rhs.last.isNaN))
                && lhs.min == rhs.min && lhs.minStep == rhs.minStep && lhs.max == rhs.max && lhs.maxStep == rhs.maxStep
        }
    }
}
