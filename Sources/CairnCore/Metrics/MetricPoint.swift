/// One logged value of one metric: what a row of `metrics.csv` holds, and what becomes one scalar
/// event in a TensorBoard file.
///
/// Equality treats two NaN values (or times) as equal, so that a point read back equals the point
/// written.
public struct MetricPoint: Sendable, Hashable, CustomStringConvertible {
    /// When the value was logged, in seconds since the Unix epoch (fractional); nil when the source
    /// did not record it (wide CSVs without a time column).
    public var time: Double?
    /// The training step.
    public var step: Int64
    /// The epoch, when known.
    public var epoch: Int?
    /// The metric's name, e.g. `loss` or `val/accuracy`; any text.
    public var key: String
    /// The value; NaN and ±infinity are allowed.
    public var value: Double

    /// A point.
    /// - Parameters:
    ///   - key: the metric's name.
    ///   - value: the value.
    ///   - step: the training step.
    ///   - epoch: the epoch, if known.
    ///   - time: seconds since the Unix epoch, if known.
    /// Inlinable: the event-file reader and the CSV parsers (in CairnFormats) make one per scalar.
    @inlinable
    public init(key: String, value: Double, step: Int64, epoch: Int? = nil, time: Double? = nil) {
        self.key = key
        self.value = value
        self.step = step
        self.epoch = epoch
        self.time = time
    }

    /// A point logged at a ``Timestamp`` (millisecond precision).
    public init(key: String, value: Double, step: Int64, epoch: Int? = nil, timestamp: Timestamp) {
        self.init(key: key, value: value, step: step, epoch: epoch, time: timestamp.secondsSinceEpoch)
    }

    /// ``time`` as a ``Timestamp`` (rounded to the millisecond), if known and finite.
    public var timestamp: Timestamp? {
        guard let time, time.isFinite else { return nil }
        return Timestamp(secondsSinceEpoch: time)
    }

    public static func == (lhs: MetricPoint, rhs: MetricPoint) -> Bool {
        lhs.step == rhs.step && lhs.epoch == rhs.epoch && lhs.key == rhs.key
            && same(lhs.value, rhs.value) && same(lhs.time, rhs.time)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(step)
        hasher.combine(epoch)
        hasher.combine(key)
        hasher.combine(value.isNaN ? Double.nan.bitPattern : value == 0 ? 0 : value.bitPattern)  // -0.0 == 0.0
    }

    private static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x == y || (x.isNaN && y.isNaN)
        default: return false
        }
    }

    public var description: String {
        "\(key)=\(value) step \(step)" + (epoch.map { " epoch \($0)" } ?? "") + (time.map { " at \($0)" } ?? "")
    }
}
