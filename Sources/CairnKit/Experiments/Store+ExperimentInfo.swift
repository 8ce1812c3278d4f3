import CairnCore

extension Store {
    /// An experiment as Cairn answers it: id, name, folder, creation time, run count and last activity
    /// (when its newest run started or ended: one record read).
    /// - Parameter experiment: the experiment.
    /// - Returns: the experiment's description.
    /// - Throws: `CairnError` when the layout cannot name its folder or its runs cannot be listed.
    public func info(of experiment: ExperimentRecord) throws(CairnError) -> CairnAPI.Experiment {
        let ids = try registeredRunIDs(experiment.id)
        // The newest run's record; one that cannot be read (being written, removed by hand) leaves it unknown.
        let newest = ids.max().flatMap { id in try? run(id: id).record }
        return CairnAPI.Experiment(id: experiment.id, name: experiment.name, folder: absolute(try experimentFolder(experiment)),
                                   createdAt: experiment.createdAt, runs: ids.count, parentExperimentID: experiment.parentExperimentID,
                                   lastActivity: newest.map { max($0.startTime, $0.endTime ?? $0.startTime) })
    }

    /// Every experiment, as ``experiments()`` lists them (by name).
    /// - Returns: each experiment's description.
    /// - Throws: `CairnError` when a record cannot be read.
    public func listExperiments() throws(CairnError) -> [CairnAPI.Experiment] {
        var result: [CairnAPI.Experiment] = []
        for experiment in try experiments() { result.append(try info(of: experiment)) }
        return result
    }

    /// An experiment's settings (`cairn exp set`): the document and the checkpoint policy it sets.
    /// - Parameter experiment: the experiment.
    /// - Returns: the settings, with every key of the policy (unset ones null).
    /// - Throws: `CairnError` when the settings cannot be read or hold a malformed policy.
    public func settingsInfo(of experiment: ExperimentRecord) throws(CairnError) -> CairnAPI.ExperimentSettings {
        CairnAPI.ExperimentSettings(experiment: experiment, settings: try settings(of: experiment),
                                    checkpoint: try checkpointPolicy(of: experiment) ?? CheckpointPolicy())
    }

    /// The folder of an experiment, or of one of its runs, as Cairn answers `cairn path`.
    /// - Parameters:
    ///   - experiment: the experiment.
    ///   - run: one of its runs, or nil for the experiment's own folder.
    /// - Returns: the folder, absolute.
    /// - Throws: `CairnError` when the layout cannot name the experiment's folder.
    public func location(of experiment: ExperimentRecord, run: Run? = nil) throws(CairnError) -> CairnAPI.Location {
        if let run { return CairnAPI.Location(path: run.absoluteFolder, experiment: experiment.name.description, run: run.id) }
        return CairnAPI.Location(path: absolute(try experimentFolder(experiment)), experiment: experiment.name.description, run: nil)
    }
}
