import CairnCore

extension CheckpointView {
    /// Why no checkpoint is best, and what to do, from the kept checkpoints and the policy recorded with
    /// the newest: none saved, a policy that monitors no metric, or a monitored metric that no kept
    /// checkpoint has a usable (non-NaN) value of.
    var noBestReason: (why: String, hint: String) {
        guard let newest = kept.last else {
            return ("no checkpoint is best yet: none was saved", "save one with 'cairn ckpt save'")
        }
        guard case .string(let monitor)? = newest.policy?["monitor"] else {
            return ("no checkpoint is best yet: the policy in force monitors no metric",
                    "save with --monitor METRIC (or set checkpoint.monitor) to rank checkpoints")
        }
        let values = kept.compactMap { $0.metrics[monitor] }
        if values.allSatisfy(\.isNaN) {
            let given = values.isEmpty ? "none was saved with a value of it" : "every value saved is NaN"
            return ("no checkpoint is best yet: the policy monitors \(monitor), but no kept checkpoint has a usable "
                        + "(non-NaN) value of it (\(given))",
                    "save a checkpoint with --metric \(monitor)=VALUE, a number")
        }
        return ("no checkpoint is best yet (the policy monitors \(monitor))",
                "'cairn ckpt ls' shows the checkpoints and their metrics")
    }
}
