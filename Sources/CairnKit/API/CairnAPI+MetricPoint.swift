import CairnCore

extension CairnAPI {
    /// One logged value of a metric (`metric show --key`).
    public struct MetricPoint: Codable, Sendable, Equatable {
        /// The split it was logged to (`train`, `eval`…).
        public var split: String
        /// The metric's name (`loss`).
        public var key: String
        /// The training step it was logged at.
        public var step: Int64
        /// The epoch, or null when it was not given.
        public var epoch: Int?
        /// The value (NaN and ±infinity as `"nan"`, `"inf"`, `"-inf"`).
        public var value: Double
        /// When it was logged (to the millisecond), or null when its source did not say.
        public var time: Timestamp?

        /// A point of `split`.
        /// - Parameters:
        ///   - point: the point as read from the split's metrics file.
        ///   - split: the split it belongs to.
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

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(split, forKey: .split)
            try c.encode(key, forKey: .key)
            try c.encode(step, forKey: .step)
            try c.encode(epoch, forKey: .epoch)
            try c.encode(value, forKey: .value)
            try c.encode(time, forKey: .time)
        }

        /// Equal when every field is, two NaN values counting as equal (so a point holding NaN equals
        /// itself after a JSON round trip).
        /// - Parameters:
        ///   - lhs: one point.
        ///   - rhs: the other.
        /// - Returns: whether they are the same point.
        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.split == rhs.split && lhs.key == rhs.key && lhs.step == rhs.step && lhs.epoch == rhs.epoch
                && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)) && lhs.time == rhs.time
        }
    }
}
