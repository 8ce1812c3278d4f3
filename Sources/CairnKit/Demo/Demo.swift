import CairnCore
import CairnFormats

/// `cairn demo`: trains a small real model (``TinyMLP`` on ``SpiralDataset``) for several
/// hyper-parameter settings, each a Cairn run created, logged and ended through the library.
/// Each later capability of Cairn (checkpoints, metrics, event files, …) adds its part here.
public enum Demo {
    /// The experiment the demo's runs go to.
    public static let experimentName = "demo/spirals"

    /// Trains every setting as a run of ``experimentName`` in `store`.
    /// - Returns: the ended runs, in the order trained.
    public static func run(in store: Store, settings: [DemoSettings] = DemoSettings.standard,
                           report: (DemoEvent) -> Void) throws(CairnError) -> [Run] {
        let experiment = try ExperimentName(experimentName)
        let data = SpiralDataset(pointsPerClass: 200, classes: 3, noise: 0.15, seed: 7)
        let (train, validation) = data.split(validationFraction: 0.25, seed: 7)
        var ended: [Run] = []
        for setting in settings {
            let run = try store.createRun(RunRequest(experiment: experiment, name: setting.name, config: config(for: setting, data: data),
                                                     tags: ["source": "cairn demo"], command: ["cairn", "demo"]))
            report(.runStarted(run, setting))
            let location = try store.resolveRun(run.id.value)
            let log = try RunLogWriter(path: try store.runFilePath(run, .log))
            let checkpoints = try RunCheckpoints(store: store, run: run)
            // Metrics go to metrics/<split>/metrics.csv and, live, to events/events.out.tfevents.* for TensorBoard.
            let metrics = try MetricLogger(store: store, run: run, tensorBoard: true)
            var model = TinyMLP(inputs: 2, hidden: setting.hidden, outputs: data.classes, seed: setting.seed)
            var rng = SplitMix64(seed: setting.seed &+ 1)
            var last = (trainLoss: Double.nan, loss: Double.nan, accuracy: 0.0)
            var best = (accuracy: -1.0, epoch: 0)
            for epoch in 1...setting.epochs {
                model.trainEpoch(train, learningRate: setting.learningRate, momentum: setting.momentum,
                                 batchSize: setting.batchSize, rng: &rng)
                let trainEval = model.evaluate(train)
                let validationEval = model.evaluate(validation)
                last = (trainEval.loss, validationEval.loss, validationEval.accuracy)
                if validationEval.accuracy > best.accuracy { best = (validationEval.accuracy, epoch) }
                log.write([Array("epoch \(epoch) train_loss \(format(trainEval.loss)) val_loss \(format(validationEval.loss)) val_accuracy \(format(validationEval.accuracy))".utf8)],
                          stream: .stdout, at: HostInfo.now)
                let step = Int64(epoch * stepsPerEpoch(train.count, setting.batchSize))
                try metrics.log([MetricPoint(key: "loss", value: trainEval.loss, step: step, epoch: epoch, time: HostInfo.now.secondsSinceEpoch),
                                 MetricPoint(key: "accuracy", value: trainEval.accuracy, step: step, epoch: epoch, time: HostInfo.now.secondsSinceEpoch)],
                                split: "train")
                try metrics.log([MetricPoint(key: "loss", value: validationEval.loss, step: step, epoch: epoch, time: HostInfo.now.secondsSinceEpoch),
                                 MetricPoint(key: "accuracy", value: validationEval.accuracy, step: step, epoch: epoch, time: HostInfo.now.secondsSinceEpoch)],
                                split: "eval")
                // Keep the two best checkpoints by validation loss (and the last), saved in the background
                // while the next epoch trains.
                let weights = model.safetensors(metadata: ["epoch": String(epoch), "run": run.id.value])
                try checkpoints.saveInBackground(CheckpointSaveRequest(
                    epoch: epoch, step: epoch * stepsPerEpoch(train.count, setting.batchSize),
                    metrics: ["val_loss": validationEval.loss, "val_accuracy": validationEval.accuracy],
                    source: .writer(folder: false, fileExtension: ".safetensors", write: { path in
                        try DemoFiles.save(weights, to: path)
                    }),
                    policy: policy))
                report(.epoch(run, epoch: epoch, trainLoss: trainEval.loss, validationLoss: validationEval.loss,
                              validationAccuracy: validationEval.accuracy))
            }
            log.sync()
            try metrics.close()
            try checkpoints.close()
            let view = try checkpoints.view()
            try store.setTags(["result.val_accuracy": format(last.accuracy), "result.val_loss": format(last.loss),
                               "result.best_val_accuracy": format(best.accuracy), "result.best_epoch": String(best.epoch)],
                              on: location)
            let finished = try store.endRun(location, status: .finished)
            report(.runEnded(finished, best: view.best, last: view.last))
            ended.append(finished)
        }
        return ended
    }

    /// The demo's checkpoint policy: the two best by validation loss, plus the last.
    public static let policy = CheckpointPolicy(monitor: "val_loss", mode: .min, topK: 2)

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

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let scaled = (value * 10_000).rounded() / 10_000
        return String(scaled)
    }
}
