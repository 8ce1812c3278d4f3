import CairnCore

/// Which of a run's kept checkpoints to average.
public enum CheckpointChoice: Sendable, Equatable {
    /// The newest kept checkpoint at each of these epochs.
    case epochs([Int])
    /// The K checkpoints saved last.
    case last(Int)
    /// The K best by a metric: the one given, else the one the run's policy monitors (with its mode).
    case top(Int, metric: String? = nil, mode: CheckpointPolicy.Mode? = nil)
}
