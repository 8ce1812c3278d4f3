import CairnCore

extension CheckpointSaveRequest {
    /// Checks what needs no store: an epoch or a step, neither negative, metric names that are valid,
    /// finite metric values (unless allowed), and sources that exist. ``RunCheckpoints/save(_:progress:)``
    /// checks it too; a caller that checks first (`cairn ckpt save`) refuses a bad request before
    /// ``RunCheckpoints/open(store:run:)`` touches the run.
    /// - Throws: `CairnError` of kind `.invalidValue` naming the value, or what a missing or unreadable
    ///   source file throws.
    public func validate() throws(CairnError) {
        if epoch == nil, step == nil {
            throw CairnError(.invalidValue, "the checkpoint has neither an epoch nor a step", hint: "give --epoch N, --step N, or both")
        }
        if let epoch, epoch < 0 { throw CairnError(.invalidValue, "the epoch \(epoch) is negative", hint: "epochs count from 0") }
        if let step, step < 0 { throw CairnError(.invalidValue, "the step \(step) is negative", hint: "steps count from 0") }
        for (key, _) in metrics { try RunTags.validateKey(key, what: "metric name") }
        if !allowNonFinite {
            for (key, value) in metrics.sorted(by: { $0.key < $1.key }) where !value.isFinite {
                throw CairnError(.invalidValue, "the metric \(key) is \(value) at " + RunCheckpoints.position(self),
                                 hint: "a non-finite value cannot rank checkpoints; fix the training, or pass --allow-nonfinite to record it (it never counts as best)")
            }
        }
        if case .files(let paths, _) = source { try StagedCheckpoint.checkSources(paths) }
    }
}
