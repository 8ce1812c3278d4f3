import ArgumentParser
import CairnCore

/// Checkpoint policy flags for one call; they override the experiment's and the store's settings.
struct PolicyOptions: ParsableArguments {
    @Option(help: "best | last | all (seed 004's checkpoint.save_strategy).")
    var saveStrategy: String?
    @Option(help: "The metric that ranks checkpoints.")
    var monitor: String?
    @Option(help: "min | max: whether lower or higher --monitor values are better (default min).")
    var mode: String?
    @Option(help: "Keep the K best checkpoints by --monitor.")
    var topK: Int?
    @Option(help: "Keep the K most recent checkpoints.")
    var keepLast: Int?
    @Option(help: "Save only at epochs that are multiples of N.")
    var everyNEpochs: Int?
    @Option(help: "Save only at steps that are multiples of N.")
    var everyNSteps: Int?
    @Option(help: "Epochs always kept, comma-separated (e.g. 10,15).")
    var keepEpochs: String?
    @Option(help: "Keep forever every checkpoint at an epoch that is a multiple of N.")
    var keepPeriod: Int?
    @Option(help: "Keep forever every checkpoint at a step that is a multiple of N.")
    var keepStepPeriod: Int?

    func policy() throws(CairnError) -> CheckpointPolicy {
        var assignments: [String] = []
        if let saveStrategy { assignments.append("save_strategy=\(saveStrategy)") }
        if let monitor { assignments.append("monitor='\(monitor)'") }
        if let mode { assignments.append("mode=\(mode)") }
        if let topK { assignments.append("top_k=\(topK)") }
        if let keepLast { assignments.append("keep_last=\(keepLast)") }
        if let everyNEpochs { assignments.append("every_n_epochs=\(everyNEpochs)") }
        if let everyNSteps { assignments.append("every_n_steps=\(everyNSteps)") }
        if let keepEpochs { assignments.append("keep_epochs=[\(keepEpochs)]") }
        if let keepPeriod { assignments.append("keep_period=\(keepPeriod)") }
        if let keepStepPeriod { assignments.append("keep_step_period=\(keepStepPeriod)") }
        return try CheckpointPolicy(assignments: assignments)
    }
}
