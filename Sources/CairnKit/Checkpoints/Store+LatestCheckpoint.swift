import CairnCore

extension Store {
    /// The checkpoint a resumed training of a run should load: its newest complete checkpoint. Read
    /// as ``RunCheckpoints/read(store:run:)`` reads, repairing what a killed writer left behind.
    /// - Parameter run: the run.
    /// - Returns: the newest kept checkpoint whose bytes are in place.
    /// - Throws: `CairnError` of kind `.notFound` when the run has none.
    public func latestCheckpoint(of run: Run) throws(CairnError) -> CairnAPI.Checkpoint {
        try RunCheckpoints.read(store: self, run: run).latestCompleteCheckpoint()
    }

    /// The checkpoint a resumed training of an experiment should load: the newest complete checkpoint
    /// of its most recent run that has one — so a run just started by `cairn exec` finds the checkpoint
    /// of the run before it.
    /// - Parameter experiment: the experiment.
    /// - Returns: the checkpoint to resume from.
    /// - Throws: `CairnError` of kind `.notFound` when no run of it has one.
    public func latestCheckpoint(of experiment: ExperimentRecord) throws(CairnError) -> CairnAPI.Checkpoint {
        for summary in try runs(in: experiment).reversed() {
            let view = try RunCheckpoints.read(store: self, run: summary.run)
            if let entry = view.latestComplete { return view.checkpoint(entry) }
        }
        throw CairnError(.notFound, "no run of the experiment '\(experiment.name)' has a checkpoint yet",
                         hint: "start from scratch, or save one with 'cairn ckpt save'")
    }

    /// The checkpoint to resume from for a word that names an experiment or a run (`cairn ckpt latest`).
    /// - Parameter target: the experiment or run (``experimentOrRun(_:)`` resolves a word).
    /// - Returns: the checkpoint to resume from.
    /// - Throws: `CairnError` of kind `.notFound` when there is none.
    public func latestCheckpoint(of target: ExperimentOrRun) throws(CairnError) -> CairnAPI.Checkpoint {
        switch target {
        case .experiment(let experiment): try latestCheckpoint(of: experiment)
        case .run(let run): try latestCheckpoint(of: run)
        }
    }
}
