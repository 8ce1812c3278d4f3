import CairnCore

/// An experiment or a run, as a word a user typed named it.
public enum ExperimentOrRun: Sendable {
    /// An experiment, named exactly.
    case experiment(ExperimentRecord)
    /// A run, by its id or a unique prefix.
    case run(Run)
}
