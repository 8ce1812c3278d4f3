import CairnCore
import CairnKit

/// `cairn demo`: trains a small real model (``TinyMLP`` on ``SpiralDataset``) for several
/// hyper-parameter settings, each a Cairn run created, logged and ended through the library, then
/// adopts and migrates a hand-rolled tree of the checkpoints it kept (``DemoLegacyTree``) and adopts
/// a TensorBoard logdir of their metrics (``DemoLogdir``), and an MLflow file store of the runs (``DemoFileStore``).
public enum Demo {
    /// The experiment the demo's runs go to.
    public static let experimentName = "demo/spirals"

    /// The demo's checkpoint policy: the two best by validation loss, plus the last.
    public static let policy = CheckpointPolicy(monitor: "val_loss", mode: .min, topK: 2)

    /// Trains every setting as a run of ``experimentName`` in `store`, then builds, adopts and migrates
    /// a hand-rolled tree of the checkpoints the runs kept.
    /// - Parameters:
    ///   - store: the store the runs go to (see ``prepareStore(at:logger:)``).
    ///   - settings: the settings to train, one run each, in this order.
    ///   - report: called with the demo's progress: each run's start, epochs and end.
    /// - Returns: the runs, their results and checkpoints, the best run, and the legacy tree's outcome.
    /// - Throws: `CairnError` when a run cannot be created, logged, checkpointed or ended, or when the
    ///   legacy tree cannot be written, adopted or migrated.
    public static func run(in store: Store, settings: [DemoSettings] = DemoSettings.standard,
                           report: (DemoEvent) -> Void) throws(CairnError) -> DemoReport {
        let data = SpiralDataset(pointsPerClass: 200, classes: 3, noise: 0.15, seed: 7)
        let (train, validation) = data.split(validationFraction: 0.25, seed: 7)
        var results: [DemoRunResult] = []
        for setting in settings {
            results.append(try Self.train(setting, data: data, train: train, validation: validation, in: store, report: report))
        }
        let best = DemoReport.bestRunIndex(bestValidationLosses: results.map(\.bestValidationLoss))
        let average = try best.map { index throws(CairnError) in try DemoAverage.make(of: results[index], validation: validation, in: store) }
        let fineTune = try best.map { index throws(CairnError) in
            try DemoFineTune.make(from: results[index], data: data, train: train, validation: validation, in: store)
        }
        let hygiene = try fineTune.map { step throws(CairnError) in try DemoDiskHygiene.make(archiving: step.interruptedRun, in: store) }
        let legacy = try DemoLegacyTree.showcase(store: store, runs: results, best: best.map { results[$0] })
        let logdir = try DemoLogdir.showcase(store: store, runs: results)
        let fileStore = try DemoFileStore.showcase(store: store, runs: results)
        // Last, the whole store checked against its disk, as `cairn doctor` does: every run folder,
        // checkpoint file and pointer the demo wrote is where its records say.
        var report = DemoReport(storeRoot: store.root, runs: results, bestRunIndex: best, average: average, fineTune: fineTune, diskHygiene: hygiene,
                                legacyTree: legacy, health: try store.doctor(fix: false))
        report.logdir = logdir
        report.fileStore = fileStore
        return report
    }

    /// How the demo writes a result in its runs' tags (`result.val_loss`, …): rounded to 4 decimals.
    /// - Parameter value: the value; NaN and ±infinity are written as they are.
    /// - Returns: the value's text (`0.3125`, `nan`).
    public static func resultText(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let scaled = (value * 10_000).rounded() / 10_000
        return String(scaled)
    }
}
