import CairnCore
import CairnFormats
import Logging

extension Store {
    /// A run as Cairn answers it: its record, folder and whether its owner lives.
    /// - Parameter run: the run.
    /// - Returns: the run's answer.
    public func info(of run: Run) -> CairnAPI.Run {
        CairnAPI.Run(run, liveness: liveness(of: run.record))
    }

    /// The runs of one experiment, or of the whole store, oldest first, as Cairn answers them.
    /// - Parameter experiment: the experiment, or nil for every run of the store.
    /// - Returns: the runs' answers.
    /// - Throws: `CairnError` when a registry entry or a run record cannot be read.
    public func listRuns(in experiment: ExperimentRecord? = nil) throws(CairnError) -> [CairnAPI.Run] {
        try runs(in: experiment).map(CairnAPI.Run.init)
    }

    /// A run with its params (typed) and tags (`cairn run show`).
    /// - Parameter run: the run.
    /// - Returns: the run's answer with its params and tags.
    /// - Throws: `CairnError` when `params.json` or `tags.json` cannot be read.
    public func details(of run: Run) throws(CairnError) -> CairnAPI.RunDetails {
        let parentID = try experiment(id: run.record.experimentID).parentExperimentID
        let parent = try parentID.map { id throws(CairnError) in try experiment(id: id).name.description }
        return CairnAPI.RunDetails(run: info(of: run), params: try typedParams(of: run), tags: try tags(of: run.location),
                                   parentExperimentID: parentID, parentExperiment: parent)
    }

    /// A run's params, each with its text and its typed value: the value in the run's `config.yaml`
    /// when the param came from it (the text matches), else the text typed as `--set` types a value.
    /// A `config.yaml` that cannot be read is logged as a warning to ``logger`` and the params typed
    /// from their text.
    /// - Parameter run: the run.
    /// - Returns: the params by key.
    /// - Throws: `CairnError` when `params.json` cannot be read.
    public func typedParams(of run: Run) throws(CairnError) -> [String: CairnAPI.Param] {
        let texts = try params(of: run.location)
        guard !texts.isEmpty else { return [:] }
        var configured: [String: ConfigValue] = [:]
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        if runLayout.template(.config) != nil, case let path = try runFilePath(run, .config), let bytes = try FileSystem.readIfPresent(path) {
            do throws(CairnError) {
                let config = try ConfigFile.parse(String(decoding: bytes, as: UTF8.self), fileName: path)
                for (key, value) in config.flattened() { configured[key] = value }
            } catch {
                // A config edited by hand into something unreadable: the params are still there, as text.
                logger.warning("cannot read the config of run \(run.id) (\(error.messageWithCause)); its params are typed from their text",
                               metadata: ["run_id": "\(run.id)", "path": "\(path)"])
            }
        }
        var result: [String: CairnAPI.Param] = [:]
        for (key, text) in texts {
            if let value = configured[key], value.description == text {
                result[key] = CairnAPI.Param(value: value, text: text)
            } else {
                result[key] = CairnAPI.Param(text: text)
            }
        }
        return result
    }
}
