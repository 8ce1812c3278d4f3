import CairnCore
import CairnKit

/// What the demo reports while it works (the CLI prints these).
public enum DemoEvent: Sendable {
    case runStarted(Run, DemoSettings)
    case epoch(Run, epoch: Int, trainLoss: Double, validationLoss: Double, validationAccuracy: Double)
    case runEnded(Run, best: CheckpointEntry?, last: CheckpointEntry?)
}
