import CairnCore

extension Store {
    /// The checkpoint a resumed training should load, for `cairn ckpt latest EXP|RUN`.
    ///
    /// For a run: its newest complete checkpoint. For an experiment (an exact experiment name wins
    /// over a run prefix): the newest complete checkpoint of its most recent run that has one — so a
    /// run just started by `cairn exec` finds the checkpoint of the run before it.
    public func latestCheckpoint(_ target: String) throws(CairnError) -> (run: Run, entry: CheckpointEntry, path: String) {
        // Not an experiment name: a run reference, resolved (and its errors thrown) below.
        if let name = try? ExperimentName(target), let experiment = try experimentIfPresent(named: name) {
            for summary in try runs(in: experiment).reversed() {
                let view = try RunCheckpoints.view(store: self, run: summary.run.id.value)
                if let entry = view.latestComplete { return (summary.run, entry, view.absolutePath(entry)) }
            }
            throw CairnError(.notFound, "no run of the experiment '\(name)' has a checkpoint yet",
                             hint: "start from scratch, or save one with 'cairn ckpt save'")
        }
        let run = try run(target)
        let view = try RunCheckpoints.view(store: self, run: run.id.value)
        guard let entry = view.latestComplete else {
            throw CairnError(.notFound, "the run \(run.id) has no checkpoint yet", hint: "save one with 'cairn ckpt save'")
        }
        return (run, entry, view.absolutePath(entry))
    }
}
