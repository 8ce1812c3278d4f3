import CairnCore
import CairnKit

/// What the demo reports while it works (the CLI prints these).
public enum DemoEvent: Sendable {
    /// A setting's run was created; its training starts.
    case runStarted(Run, DemoSettings)
    /// An epoch of the run ended: the training loss, and the validation loss and accuracy.
    case epoch(Run, epoch: Int, trainLoss: Double, validationLoss: Double, validationAccuracy: Double)
    /// The run ended (`FINISHED`), with the best and last checkpoints it kept.
    case runEnded(Run, best: CheckpointEntry?, last: CheckpointEntry?)
}
