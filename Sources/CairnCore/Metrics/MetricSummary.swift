/// The summary of one metric over its points: the last value, the extremes, and the step of each.
///
/// `last` is the last point in log order (after a resume, a lower step logged later is the latest).
/// `min` and `max` ignore NaN (nil when every value is NaN); ties keep the first point.
public struct MetricSummary: Sendable, Equatable {
    /// The metric's name.
    public var key: String
    /// The number of points (NaN included).
    public var count: Int
    /// The last value logged.
    public var last: Double
    /// The step of ``last``.
    public var lastStep: Int64
    /// The smallest non-NaN value.
    public var min: Double?
    /// The step of ``min``.
    public var minStep: Int64?
    /// The largest non-NaN value.
    public var max: Double?
    /// The step of ``max``.
    public var maxStep: Int64?
    /// The highest step logged.
    public var highestStep: Int64
    /// The value at ``highestStep`` (the later logged of equal steps): what MLflow calls a run's
    /// metric, and what filters compare.
    public var valueAtHighestStep: Double

    /// A summary from its parts (as an index stores them).
    public init(key: String, count: Int, last: Double, lastStep: Int64, min: Double?, minStep: Int64?,
                max: Double?, maxStep: Int64?, highestStep: Int64, valueAtHighestStep: Double) {
        self.key = key
        self.count = count
        self.last = last
        self.lastStep = lastStep
        self.min = min
        self.minStep = minStep
        self.max = max
        self.maxStep = maxStep
        self.highestStep = highestStep
        self.valueAtHighestStep = valueAtHighestStep
    }

    /// The summary of a single point.
    public init(_ point: MetricPoint) {
        key = point.key
        count = 1
        last = point.value
        lastStep = point.step
        highestStep = point.step
        valueAtHighestStep = point.value
        if !point.value.isNaN {
            min = point.value
            minStep = point.step
            max = point.value
            maxStep = point.step
        }
    }

    /// Adds a later point of the same metric.
    public mutating func add(_ point: MetricPoint) {
        count += 1
        last = point.value
        lastStep = point.step
        if point.step >= highestStep {
            highestStep = point.step
            valueAtHighestStep = point.value
        }
        let v = point.value
        guard !v.isNaN else { return }
        if min.map({ v < $0 }) ?? true {
            min = v
            minStep = point.step
        }
        if max.map({ v > $0 }) ?? true {
            max = v
            maxStep = point.step
        }
    }

    /// Adds the summary of points of the same metric logged after these: the same as adding them one
    /// by one.
    public mutating func merge(_ later: MetricSummary) {
        count += later.count
        last = later.last
        lastStep = later.lastStep
        if later.highestStep >= highestStep {
            highestStep = later.highestStep
            valueAtHighestStep = later.valueAtHighestStep
        }
        if let v = later.min, min.map({ v < $0 }) ?? true {
            min = v
            minStep = later.minStep
        }
        if let v = later.max, max.map({ v > $0 }) ?? true {
            max = v
            maxStep = later.maxStep
        }
    }

    /// The summary of every metric in `points`, by key.
    public static func summaries(of points: some Sequence<MetricPoint>) -> [String: MetricSummary] {
        // Keys usually come round in the same order (every key at step 1, then at step 2, …): the key
        // after the last one is tried first, and the dictionary of positions only when it is not the one.
        var keys: [String] = [], summaries: [MetricSummary] = [], positions: [String: Int] = [:]
        var last = -1
        for point in points {
            var index = last + 1 < keys.count ? last + 1 : 0
            if index >= keys.count || keys[index] != point.key {
                if let known = positions[point.key] {
                    index = known
                } else {
                    index = keys.count
                    positions[point.key] = index
                    keys.append(point.key)
                    summaries.append(MetricSummary(point))
                    last = index
                    continue
                }
            }
            summaries[index].add(point)
            last = index
        }
        return Dictionary(uniqueKeysWithValues: zip(keys, summaries))
    }

    public static func == (lhs: MetricSummary, rhs: MetricSummary) -> Bool {
        lhs.key == rhs.key && lhs.count == rhs.count && lhs.lastStep == rhs.lastStep
            && (lhs.last == rhs.last || (lhs.last.isNaN && rhs.last.isNaN))
            && lhs.min == rhs.min && lhs.minStep == rhs.minStep && lhs.max == rhs.max && lhs.maxStep == rhs.maxStep
            && lhs.highestStep == rhs.highestStep
            && (lhs.valueAtHighestStep == rhs.valueAtHighestStep || (lhs.valueAtHighestStep.isNaN && rhs.valueAtHighestStep.isNaN))
    }
}
