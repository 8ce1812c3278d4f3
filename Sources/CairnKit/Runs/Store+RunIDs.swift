import CairnCore

extension Store {
    /// The ids of the runs of one experiment, or of the whole store, newest first, read from the
    /// registry alone: no run record is opened, so it costs one folder listing per experiment (what
    /// shell completion offers).
    /// - Parameter experiment: the experiment, or nil for every run of the store.
    /// - Returns: the run ids, newest first (run ids sort by their start times).
    /// - Throws: `CairnError` when the store's registry cannot be listed.
    public func runIDs(in experiment: ExperimentRecord? = nil) throws(CairnError) -> [RunID] {
        var ids: [RunID] = []
        for experiment in try scope(experiment) { ids += try registeredRunIDs(experiment.id) }
        return ids.sorted(by: >)
    }
}
