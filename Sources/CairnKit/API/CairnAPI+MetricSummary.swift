import CairnCore

extension CairnAPI {
    /// One metric of one split of a run, summarized (`metric show`).
    public struct MetricSummary: Codable, Sendable, Equatable {
        public var split: String
        public var key: String
        /// The number of points (NaN included).
        public var count: Int
        /// The last value logged, and its step.
        public var last: Double
        public var lastStep: Int64
        /// The smallest and largest non-NaN values and their steps; null when every value is NaN.
        public var min: Double?
        public var minStep: Int64?
        public var max: Double?
        public var maxStep: Int64?

        /// A summary of `split`.
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

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.split == rhs.split && lhs.key == rhs.key && lhs.count == rhs.count && lhs.lastStep == rhs.lastStep
                && (lhs.last == rhs.last || (lhs.last.isNaN && rhs.last.isNaN))
                && lhs.min == rhs.min && lhs.minStep == rhs.minStep && lhs.max == rhs.max && lhs.maxStep == rhs.maxStep
        }
    }
}
