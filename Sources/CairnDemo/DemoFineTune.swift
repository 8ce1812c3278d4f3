import CairnCore
import CairnFormats
import CairnKit

/// The experiment lifecycle, shown on the demo's best run: its config stored as the config template
/// `spirals` (`cairn template add`), a fine-tuning experiment made from it and linked to the demo's
/// experiment (`cairn exp new demo/spirals-finetune --template spirals --parent demo/spirals --set …`),
/// whose run starts from the parent's best checkpoint (the config's `pretrained_experiment.checkpoint_path`),
/// is interrupted after a few epochs as a preempted job is (KILLED by SIGTERM), and is resumed from its
/// last checkpoint in a new run linked to it (`cairn resume`), which continues at the next epoch and step.
public struct DemoFineTune: Sendable, Codable, Equatable {
    /// The config template.
    public var template: String
    /// The fine-tuning experiment, and the experiment it continues from.
    public var experiment: String
    public var parentExperimentID: ExperimentID
    /// The checkpoint it starts from: the parent's best.
    public var pretrainedCheckpoint: String
    /// The interrupted run, and its last epoch.
    public var interruptedRun: RunID
    public var interruptedAtEpoch: Int
    /// The run that resumed it, the checkpoint it loaded and that checkpoint's step.
    public var resumedRun: RunID
    public var resumedFrom: RunID
    public var resumeCheckpoint: String
    public var resumeStep: Int?
    /// The resumed run's first step logged, and its epochs.
    public var firstResumedStep: Int64?
    public var epochs: ClosedRange<Int>
    /// The fine-tuned model on the validation set, and the parent's best checkpoint alone.
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var pretrainedValidationAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case template, experiment, epochs
        case parentExperimentID = "parent_experiment_id"
        case pretrainedCheckpoint = "pretrained_checkpoint"
        case interruptedRun = "interrupted_run"
        case interruptedAtEpoch = "interrupted_at_epoch"
        case resumedRun = "resumed_run"
        case resumedFrom = "resumed_from"
        case resumeCheckpoint = "resume_checkpoint"
        case resumeStep = "resume_step"
        case firstResumedStep = "first_resumed_step"
        case validationLoss = "validation_loss"
        case validationAccuracy = "validation_accuracy"
        case pretrainedValidationAccuracy = "pretrained_validation_accuracy"
    }

    /// The fine-tuning experiment's name.
    public static let experimentName = "demo/spirals-finetune"
    /// Its overrides of the template: a cooler learning rate, fewer epochs.
    public static let overrides = ["training.lr=0.05", "training.epochs=10"]
    /// The epoch after which its first run is interrupted.
    static let interruptAfter = 4

    /// Runs the lifecycle on `best`, the demo's best run.
    /// - Throws: `CairnError` when a template, experiment, run, checkpoint or metric cannot be written or read.
    static func make(from best: DemoRunResult, data: SpiralDataset, train: SpiralDataset, validation: SpiralDataset,
                     in store: Store) throws(CairnError) -> DemoFineTune {
        let template = "spirals"
        try store.addTemplate(named: template, text: ConfigFile.yaml(Demo.config(for: best.setting, data: data)),
                              fileName: "cairn demo", replace: true)
        let name = try ExperimentName(experimentName)
        var experiment = try store.experimentIfPresent(named: name)
        if experiment == nil {
            experiment = try store.createExperiment(name, setup: ExperimentSetup(source: .template(template), overrides: overrides,
                                                                                 parent: try ExperimentName(Demo.experimentName)))
        }
        guard let parent = experiment?.parentExperimentID else {
            throw CairnError(.conflict, "the experiment '\(name)' exists without a parent", hint: "remove it, or use another store for the demo")
        }
        // A run of it takes the experiment's config.yaml: the template, overridden, naming the parent's best checkpoint.
        let first = try store.createRun(RunRequest(experiment: name, name: "finetune", tags: ["source": "cairn demo"], command: ["cairn", "demo"]))
        let config = try Store.readConfig(try store.runFilePath(first, .config))
        guard case .string(let pretrained)? = config.value(at: ["pretrained_experiment", "checkpoint_path"]) else {
            throw CairnError(.notFound, "the fine-tuning config names no pretrained checkpoint", hint: "the parent run kept no checkpoint")
        }
        var setting = best.setting
        if case .float(let lr)? = config.value(at: ["training", "lr"]) { setting.learningRate = lr }
        if case .int(let epochs)? = config.value(at: ["training", "epochs"]) { setting.epochs = Int(epochs) }
        let pretrainedModel = try TinyMLP.load(pretrained, hidden: setting.hidden)
        var model = pretrainedModel
        try trainRun(&model, epochs: 1...interruptAfter, setting: setting, train: train, validation: validation, run: first, in: store)
        // Preempted: the job caught SIGTERM, its last checkpoint is on disk, the run ends KILLED.
        let interrupted = try store.endRun(first, status: .killed, exitSignal: "SIGTERM")
        // `cairn resume`: a new run linked to it, its config's resume fields set, from its last checkpoint.
        let plan = try store.resumePlan(.run(interrupted), options: ResumeOptions(command: ["cairn", "demo"], name: "finetune-resumed"))
        guard let request = plan.request else { throw CairnError(.invalidValue, "the resume plan has no new run", hint: "report this as a bug") }
        let resumed = try store.createRun(request)
        model = try TinyMLP.load(plan.checkpoint.path, hidden: setting.hidden)
        let start = (plan.checkpoint.epoch ?? interruptAfter) + 1
        let result = try trainRun(&model, epochs: start...setting.epochs, setting: setting, train: train, validation: validation, run: resumed, in: store)
        let finished = try store.endRun(resumed, status: .finished)
        return DemoFineTune(template: template, experiment: experimentName, parentExperimentID: parent,
                            pretrainedCheckpoint: pretrained, interruptedRun: interrupted.id, interruptedAtEpoch: interruptAfter,
                            resumedRun: finished.id, resumedFrom: plan.source.id, resumeCheckpoint: plan.checkpoint.path,
                            resumeStep: plan.checkpoint.step, firstResumedStep: try store.metrics(of: finished, split: "train").map(\.step).min(),
                            epochs: start...setting.epochs, validationLoss: result.loss, validationAccuracy: result.accuracy,
                            pretrainedValidationAccuracy: pretrainedModel.evaluate(validation).accuracy)
    }

    /// Trains `epochs` of `model` as `run`, as the demo's runs are trained; the validation results after the last.
    @discardableResult
    private static func trainRun(_ model: inout TinyMLP, epochs: ClosedRange<Int>, setting: DemoSettings, train: SpiralDataset,
                              validation: SpiralDataset, run: Run, in store: Store) throws(CairnError) -> (loss: Double, accuracy: Double) {
        let log = try RunLog(store: store, run: run)
        let checkpoints = try RunCheckpoints.open(store: store, run: run)
        let metrics = try MetricLogger(store: store, run: run, tensorBoard: true)
        var rng = SplitMix64(seed: setting.seed &+ UInt64(epochs.lowerBound))
        var last = (loss: Double.nan, accuracy: 0.0)
        for epoch in epochs {
            let result = try Demo.trainEpoch(&model, epoch: epoch, setting: setting, train: train, validation: validation, rng: &rng,
                                             run: run, log: log, metrics: metrics, checkpoints: checkpoints, store: store)
            last = result.validation
        }
        log.sync()
        try metrics.close()
        try checkpoints.close()
        return last
    }
}
