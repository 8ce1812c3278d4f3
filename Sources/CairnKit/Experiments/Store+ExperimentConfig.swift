import CairnCore
import CairnFormats

extension Store {
    /// The name of an experiment's config file in its folder.
    public static let experimentConfigName = "config.yaml"

    /// Creates an experiment as ``ExperimentSetup`` describes: its `config.yaml` from a template or
    /// another experiment, overrides applied, and its parent recorded. Nothing is written when anything
    /// about the setup is wrong.
    /// - Parameters:
    ///   - name: the experiment's name.
    ///   - setup: where its config comes from, overrides, its parent.
    /// - Returns: the new experiment's record.
    /// - Throws: what ``createExperiment(_:)`` throws; `.notFound` for a missing template, source or
    ///   parent experiment (or a source without a config); `.invalidConfig` for a bad override.
    @discardableResult
    public func createExperiment(_ name: ExperimentName, setup: ExperimentSetup) throws(CairnError) -> ExperimentRecord {
        if setup.isEmpty { return try createExperiment(name) }
        var config: ConfigValue?
        var verbatim: String?
        switch setup.source {
        case .none: break
        case .template(let template):
            let found = try self.template(named: template)
            config = found.config
            verbatim = found.text
        case .experiment(let other):
            config = try experimentConfig(of: try experiment(named: other))
        }
        if let generated = config {
            let named = try namingSection(of: generated, for: name)
            if named != generated { config = named; verbatim = nil }
        }
        if !setup.overrides.isEmpty {
            config = try (config ?? .mapping(ConfigMapping())).applying(overrides: setup.overrides, addsAnyKey: config == nil)
            verbatim = nil
        }
        var parentID: ExperimentID?
        if let parentName = setup.parent {
            guard parentName != name else {
                throw CairnError(.invalidValue, "the experiment '\(name)' cannot be its own parent", hint: "give --parent the pre-training experiment")
            }
            let parent = try experiment(named: parentName)
            parentID = parent.id
            config = try pretrainedSection(of: parent, in: config ?? .mapping(ConfigMapping()))
            verbatim = nil
        }
        let bytes = config.map { Array((verbatim ?? ConfigFile.yaml($0)).utf8) }
        return try createExperiment(name, id: nil, parent: parentID, config: bytes)
    }

    /// The config an experiment's runs start from when no `--config` is given: its folder's
    /// `config.yaml`, or nil when it has none.
    /// - Parameter experiment: the experiment's name.
    /// - Returns: the file's absolute path, or nil (also when no experiment has that name yet).
    /// - Throws: `CairnError` when the store's records cannot be read.
    public func experimentConfigPath(named experiment: ExperimentName) throws(CairnError) -> String? {
        guard let record = try experimentIfPresent(named: experiment) else { return nil }
        return try experimentConfigPath(of: record)
    }

    /// ``experimentConfigPath(named:)`` for an experiment already looked up.
    /// - Parameter experiment: the experiment.
    /// - Returns: the file's absolute path, or nil when it has none.
    /// - Throws: `CairnError` when the layout cannot name its folder.
    public func experimentConfigPath(of experiment: ExperimentRecord) throws(CairnError) -> String? {
        let path = Paths.join(absolute(try experimentFolder(experiment)), Self.experimentConfigName)
        return FileSystem.exists(path) && !FileSystem.isDirectory(path) ? path : nil
    }

    /// An experiment's config: its `config.yaml`, else the config snapshot of its latest run.
    /// - Throws: `CairnError` of kind `.notFound` when it has neither, `.invalidConfig` when unreadable.
    func experimentConfig(of experiment: ExperimentRecord) throws(CairnError) -> ConfigValue {
        if let path = try experimentConfigPath(of: experiment) { return try Self.readConfig(path) }
        if let latest = try latestRun(in: experiment) {
            let path = try runFilePath(latest, .config)
            if FileSystem.exists(path) { return try Self.readConfig(path) }
        }
        throw CairnError(.notFound, "the experiment '\(experiment.name)' has no config.yaml and no run with a config",
                         hint: "create it from a template (--template), or give its runs a --config")
    }

    /// Reads a config file (YAML, or JSON): a run's `config.yaml`, an experiment's, a template.
    /// - Parameter path: the file.
    /// - Returns: the config.
    /// - Throws: `CairnError` when the file cannot be read, is not UTF-8, or is malformed.
    public static func readConfig(_ path: String) throws(CairnError) -> ConfigValue {
        let bytes = try FileSystem.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CairnError(.invalidConfig, "the config '\(path)' is not UTF-8 text", hint: "fix the file")
        }
        return try ConfigFile.parse(text, fileName: path)
    }

    /// The config with its `pretrained_experiment` section naming `parent` (as seed projects'
    /// fine-tuning generators write it): `name` (the layout's `name` field of the parent, else its
    /// whole name), `experiment_id`, and `checkpoint_path`, the absolute path of the best checkpoint of
    /// the parent's latest run that has one (its last when none is best), when there is one.
    private func pretrainedSection(of parent: ExperimentRecord, in config: ConfigValue) throws(CairnError) -> ConfigValue {
        let shortName = try experimentShortName(parent)
        let section = layout.parentExperimentParam.map { Array($0.split(separator: ".").dropLast().map(String.init)) } ?? ["pretrained_experiment"]
        let key = layout.parentExperimentParam.flatMap { $0.split(separator: ".").last.map(String.init) } ?? "name"
        var result = config.setting(section + [key], to: .string(shortName))
        result = result.setting(section + ["experiment_id"], to: .string(parent.id.description))
        if let checkpoint = seedCheckpoint(of: parent) {
            result = result.setting(section + ["checkpoint_path"], to: .string(checkpoint))
        }
        return result
    }

    /// The config with its `experiment` section naming the experiment `name`, as seed projects'
    /// generators fill their templates: `experiment.name` (the layout's `name` field, else the whole
    /// name) and `experiment.output_dir` (the experiment's folder, relative to the store's tree), each
    /// only where the config has that key.
    func namingSection(of config: ConfigValue, for name: ExperimentName) throws(CairnError) -> ConfigValue {
        guard let section = config.value(at: ["experiment"])?.mappingValue else { return config }
        let probe = ExperimentRecord(id: ExperimentID(0), name: name, createdAt: clock.now())
        var result = config
        if section["name"] != nil { result = result.setting(["experiment", "name"], to: .string(try experimentShortName(probe))) }
        if section["output_dir"] != nil { result = result.setting(["experiment", "output_dir"], to: .string(try experimentFolder(probe))) }
        return result
    }

    /// The name a config gives an experiment, as seed projects' generators write it: the layout's `name`
    /// field (`mlm_small` for `pretraining/mlm_small` in the pretrain-finetune layout), else its whole name.
    func experimentShortName(_ experiment: ExperimentRecord) throws(CairnError) -> String {
        if case .string(let value)? = try layout.experimentFields(for: experiment.name)["name"] { return value }
        return experiment.name.description
    }

    /// The absolute path of the checkpoint that seeds a child of `experiment`: the best of its runs'
    /// best checkpoints when they rank by the same metric the same way (the policy recorded with each),
    /// else the best of its newest run that has one; a run without a best gives its last.
    func seedCheckpoint(of experiment: ExperimentRecord) -> String? {
        guard let runs = try? runs(in: experiment) else { return nil }
        var bests: [(path: String, value: Double, ranking: String)] = []
        var newest: String?
        for summary in runs.reversed() {
            guard let view = try? RunCheckpoints.read(store: self, run: summary.run) else { continue }
            if let best = view.best {
                newest = newest ?? view.absolutePath(best)
                if case .string(let monitor)? = best.policy?["monitor"], let value = best.metrics[monitor], value.isFinite {
                    var mode = "min"
                    if case .string(let recorded)? = best.policy?["mode"] { mode = recorded }
                    bests.append((view.absolutePath(best), mode == "max" ? -value : value, monitor + "/" + mode))
                }
            } else if let last = view.last {
                newest = newest ?? view.absolutePath(last)
            }
        }
        if !bests.isEmpty, Set(bests.map(\.ranking)).count == 1 {
            return bests.min { $0.value < $1.value }?.path
        }
        return newest
    }
}
