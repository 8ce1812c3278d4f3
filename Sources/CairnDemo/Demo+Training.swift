import CairnCore
import CairnFormats
import CairnKit

extension Demo {
    /// Trains one setting as a run: logs each epoch, its metrics (CSV and a live event file) and a
    /// checkpoint, records the results as tags, and ends the run.
    /// - Parameters:
    ///   - data: the whole data set (the run's config describes it); `train` and `validation` are its split.
    static func train(_ setting: DemoSettings, data: SpiralDataset, train: SpiralDataset, validation: SpiralDataset,
                      in store: Store, report: (DemoEvent) -> Void) throws(CairnError) -> DemoRunResult {
        let run = try store.createRun(RunRequest(experiment: try ExperimentName(experimentName), name: setting.name,
                                                 config: config(for: setting, data: data),
                                                 tags: ["source": "cairn demo"], command: ["cairn", "demo"]))
        report(.runStarted(run, setting))
        let log = try RunLog(store: store, run: run)
        let checkpoints = try RunCheckpoints.open(store: store, run: run)
        // Metrics go to metrics/<split>/metrics.csv and, live, to events/events.out.tfevents.* for TensorBoard.
        let metrics = try MetricLogger(store: store, run: run, tensorBoard: true)
        var model = TinyMLP(inputs: 2, hidden: setting.hidden, outputs: data.classes, seed: setting.seed)
        var rng = SplitMix64(seed: setting.seed &+ 1)
        var last = (trainLoss: Double.nan, loss: Double.nan, accuracy: 0.0)
        var best = (accuracy: -1.0, epoch: 0)
        for epoch in 1...setting.epochs {
            let (trainEval, validationEval) = try trainEpoch(&model, epoch: epoch, setting: setting, train: train, validation: validation,
                                                             rng: &rng, run: run, log: log, metrics: metrics, checkpoints: checkpoints, store: store)
            last = (trainEval.loss, validationEval.loss, validationEval.accuracy)
            if validationEval.accuracy > best.accuracy { best = (validationEval.accuracy, epoch) }
            report(.epoch(run, epoch: epoch, trainLoss: trainEval.loss, validationLoss: validationEval.loss,
                          validationAccuracy: validationEval.accuracy))
        }
        log.sync()
        try metrics.close()
        try checkpoints.close()
        let view = try checkpoints.view()
        let artifacts = try DemoArrays.save(model, on: validation, of: run, in: store)
        try store.setTags(["result.val_accuracy": resultText(last.accuracy), "result.val_loss": resultText(last.loss),
                           "result.best_val_accuracy": resultText(best.accuracy), "result.best_epoch": String(best.epoch)],
                          on: run)
        let finished = try store.endRun(run, status: .finished)
        report(.runEnded(finished, best: view.best, last: view.last))
        return DemoRunResult(setting: setting, summary: RunSummary(run: finished, liveness: store.liveness(of: finished.record)),
                             best: view.best.map { DemoCheckpoint(entry: $0, path: view.absolutePath($0)) },
                             last: view.last.map { DemoCheckpoint(entry: $0, path: view.absolutePath($0)) },
                             validationAccuracy: last.accuracy, validationLoss: last.loss, artifacts: artifacts)
    }

    /// Trains one epoch of `model` and records it in `run`: a log line, the train and eval metrics at
    /// the epoch's last step, and a checkpoint saved in the background under ``policy``.
    /// - Returns: the model on the training and the validation set after the epoch.
    static func trainEpoch(_ model: inout TinyMLP, epoch: Int, setting: DemoSettings, train: SpiralDataset, validation: SpiralDataset,
                           rng: inout SplitMix64, run: Run, log: RunLog, metrics: MetricLogger, checkpoints: RunCheckpoints,
                           store: Store) throws(CairnError) -> (train: (loss: Double, accuracy: Double), validation: (loss: Double, accuracy: Double)) {
        model.trainEpoch(train, learningRate: setting.learningRate, momentum: setting.momentum, batchSize: setting.batchSize, rng: &rng)
        let trainEval = model.evaluate(train)
        let validationEval = model.evaluate(validation)
        log.append("epoch \(epoch) train_loss \(resultText(trainEval.loss)) val_loss \(resultText(validationEval.loss)) val_accuracy \(resultText(validationEval.accuracy))")
        let step = epoch * stepsPerEpoch(train.count, setting.batchSize)
        let now = store.clock.now()
        try metrics.log(points(loss: trainEval.loss, accuracy: trainEval.accuracy, step: step, epoch: epoch, at: now), split: "train")
        try metrics.log(points(loss: validationEval.loss, accuracy: validationEval.accuracy, step: step, epoch: epoch, at: now), split: "eval")
        // Keep the two best checkpoints by validation loss (and the last), saved in the background
        // while the next epoch trains.
        let weights = model.safetensors(metadata: ["epoch": String(epoch), "run": run.id.value])
        try checkpoints.saveInBackground(CheckpointSaveRequest(
            epoch: epoch, step: step,
            metrics: ["val_loss": validationEval.loss, "val_accuracy": validationEval.accuracy],
            source: .writer(folder: false, fileExtension: ".safetensors", write: { path in
                try DemoFiles.save(weights, to: path)
            }),
            policy: policy))
        return (trainEval, validationEval)
    }

    /// One epoch's loss and accuracy as metric points, stamped `time`.
    private static func points(loss: Double, accuracy: Double, step: Int, epoch: Int, at time: Timestamp) -> [MetricPoint] {
        [MetricPoint(key: "loss", value: loss, step: Int64(step), epoch: epoch, timestamp: time),
         MetricPoint(key: "accuracy", value: accuracy, step: Int64(step), epoch: epoch, timestamp: time)]
    }

    static func stepsPerEpoch(_ count: Int, _ batch: Int) -> Int { (count + batch - 1) / batch }

    static func config(for setting: DemoSettings, data: SpiralDataset) -> ConfigValue {
        var model = ConfigMapping()
        model.set("kind", .string("mlp"))
        model.set("hidden", .int(Int64(setting.hidden)))
        var training = ConfigMapping()
        training.set("lr", .float(setting.learningRate))
        training.set("momentum", .float(setting.momentum))
        training.set("epochs", .int(Int64(setting.epochs)))
        training.set("batch_size", .int(Int64(setting.batchSize)))
        training.set("seed", .int(Int64(setting.seed)))
        var dataset = ConfigMapping()
        dataset.set("name", .string("spirals"))
        dataset.set("classes", .int(Int64(data.classes)))
        dataset.set("points", .int(Int64(data.count)))
        dataset.set("validation_fraction", .float(0.25))
        var root = ConfigMapping()
        root.set("model", .mapping(model))
        root.set("training", .mapping(training))
        root.set("data", .mapping(dataset))
        return .mapping(root)
    }
}
