import CairnCore
import CairnKit

/// One run of the demo: its setting, the ended run, the checkpoints it kept, and how it did.
public struct DemoRunResult: Sendable {
    /// The hyper-parameters trained.
    public var setting: DemoSettings
    /// The run as listed once ended (its record and liveness).
    public var summary: RunSummary
    /// The checkpoint with the best validation loss under ``Demo/policy``, if any.
    public var best: DemoCheckpoint?
    /// The last checkpoint saved, if any.
    public var last: DemoCheckpoint?
    /// The validation accuracy after the last epoch.
    public var validationAccuracy: Double
    /// The validation loss after the last epoch.
    public var validationLoss: Double
    /// The NumPy files saved as the run's artifacts (validation embeddings and predictions).
    public var artifacts: [ArtifactRecord]

    /// A run's result.
    /// - Parameters:
    ///   - setting: the hyper-parameters trained.
    ///   - summary: the run as listed once ended.
    ///   - best: the best checkpoint kept, if any.
    ///   - last: the last checkpoint saved, if any.
    ///   - validationAccuracy: the validation accuracy after the last epoch.
    ///   - validationLoss: the validation loss after the last epoch.
    ///   - artifacts: the NumPy files saved as the run's artifacts.
    public init(setting: DemoSettings, summary: RunSummary, best: DemoCheckpoint?, last: DemoCheckpoint?,
                validationAccuracy: Double, validationLoss: Double, artifacts: [ArtifactRecord] = []) {
        self.setting = setting
        self.summary = summary
        self.best = best
        self.last = last
        self.validationAccuracy = validationAccuracy
        self.validationLoss = validationLoss
        self.artifacts = artifacts
    }

    /// The run.
    public var run: Run { summary.run }

    /// The best checkpoint's `val_loss`, if there is a best checkpoint that recorded one.
    public var bestValidationLoss: Double? { best?.entry.metrics["val_loss"] }
}
