/// A monitored metric and which way is better.
struct Ranking {
    let metric: String
    let mode: CheckpointPolicy.Mode

    /// The entry's finite value of the metric, or nil when it is missing, NaN or infinite.
    func value(_ entry: CheckpointEntry) -> Double? {
        guard let value = entry.metrics[metric], value.isFinite else { return nil }
        return value
    }

    /// True when `a` is strictly better than `b`.
    func isBetter(_ a: Double, than b: Double) -> Bool {
        mode == .min ? a < b : a > b
    }

    /// `val_loss (min)`.
    var label: String { "\(metric) (\(mode.rawValue))" }
}
