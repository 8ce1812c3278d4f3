/// A monitored metric and which way is better.
struct Ranking {
    let metric: String
    let mode: CheckpointPolicy.Mode

    /// True when `a` is strictly better than `b`.
    func isBetter(_ a: Double, than b: Double) -> Bool {
        mode == .min ? a < b : a > b
    }

    /// `val_loss (min)`.
    var label: String { "\(metric) (\(mode.rawValue))" }
}
