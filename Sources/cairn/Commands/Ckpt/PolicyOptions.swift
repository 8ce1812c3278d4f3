import ArgumentParser
import CairnCore

/// Checkpoint policy flags for one call; they override the experiment's and the store's settings.
struct PolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("best | last | all: keep the best and last, the last, or every checkpoint.", valueName: "save_strategy"))
    var saveStrategy: CheckpointPolicy.SaveStrategy?
    @Option(help: "The metric that ranks checkpoints.")
    var monitor: String?
    @Option(help: "min | max: whether lower or higher --monitor values are better (default min).")
    var mode: CheckpointPolicy.Mode?
    @Option(help: "Keep the K best checkpoints by --monitor.")
    var topK: Int?
    @Option(help: "Keep the K most recent checkpoints.")
    var keepLast: Int?
    @Option(help: "Save only at epochs that are multiples of N.")
    var everyNEpochs: Int?
    @Option(help: "Save only at steps that are multiples of N.")
    var everyNSteps: Int?
    @Option(help: ArgumentHelp("Epochs always kept, comma-separated (e.g. 10,15).", valueName: "epochs"))
    var keepEpochs: EpochList?
    @Option(help: "Keep forever every checkpoint at an epoch that is a multiple of N.")
    var keepPeriod: Int?
    @Option(help: "Keep forever every checkpoint at a step that is a multiple of N.")
    var keepStepPeriod: Int?

    /// The call's policy: only the fields given; the store checks it once layered over the others.
    var policy: CheckpointPolicy {
        CheckpointPolicy(saveStrategy: saveStrategy, monitor: monitor, mode: mode, topK: topK, keepLast: keepLast,
                         everyNEpochs: everyNEpochs, everyNSteps: everyNSteps, keepEpochs: keepEpochs?.epochs,
                         keepPeriod: keepPeriod, keepStepPeriod: keepStepPeriod)
    }
}
