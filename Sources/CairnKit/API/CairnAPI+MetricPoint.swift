import CairnCore

extension CairnAPI {
    /// One logged value of a metric (`metric show --key`).
    public struct MetricPoint: Codable, Sendable, Equatable {
        public var split: String
        public var key: String
        public var step: Int64
        public var epoch: Int?
        /// The value (NaN and ±infinity as `"nan"`, `"inf"`, `"-inf"`).
        public var value: Double
        /// When it was logged (to the millisecond), or null when its source did not say.
        public var time: Timestamp?

        /// A point of `split`.
        public init(_ point: CairnCore.MetricPoint, split: String) {
            self.split = split
            key = point.key
            step = point.step
            epoch = point.epoch
            value = point.value
            time = point.timestamp
        }

        enum CodingKeys: String, CodingKey {
            case split, key, step, epoch, value, time
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(split, forKey: .split)
            try c.encode(key, forKey: .key)
            try c.encode(step, forKey: .step)
            try c.encode(epoch, forKey: .epoch)
            try c.encode(value, forKey: .value)
            try c.encode(time, forKey: .time)
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.split == rhs.split && lhs.key == rhs.key && lhs.step == rhs.step && lhs.epoch == rhs.epoch
                && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)) && lhs.time == rhs.time
        }
    }
}
