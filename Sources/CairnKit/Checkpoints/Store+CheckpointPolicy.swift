import CairnCore
import CairnFormats

extension Store {
    /// The store-wide checkpoint policy: `defaults: checkpoint:` in `cairn.yaml`.
    /// - Returns: the policy, or nil when `cairn.yaml` sets none.
    /// - Throws: `CairnError` of kind `.invalidConfig` when it is not a mapping of known keys and values.
    public func storeCheckpointPolicy() throws(CairnError) -> CheckpointPolicy? {
        guard case .mapping(let root) = settings.document, case .mapping(let defaults)? = root["defaults"],
              let value = defaults["checkpoint"] else { return nil }
        guard case .mapping(let mapping) = value else {
            throw CairnError(.invalidConfig, "'defaults.checkpoint' in '\(settingsPath)' is not a mapping",
                             hint: "write it as keys such as top_k: 3, monitor: val_loss")
        }
        return try CheckpointPolicy(mapping: mapping, source: settingsPath + " (defaults.checkpoint)")
    }

    /// The experiment's settings file, `.cairn/experiments/<id>/settings.yaml`.
    func experimentSettingsPath(_ id: ExperimentID) -> String { Paths.join(experimentMetaFolder(id), "settings.yaml") }

    /// The experiment's settings (an empty mapping when it has none).
    /// - Parameter experiment: the experiment.
    /// - Returns: the document of `.cairn/experiments/<id>/settings.yaml`.
    /// - Throws: `CairnError` when the file cannot be read or parsed.
    public func settings(of experiment: ExperimentRecord) throws(CairnError) -> ConfigValue {
        let path = experimentSettingsPath(experiment.id)
        guard let bytes = try FileSystem.readIfPresent(path) else { return .mapping(ConfigMapping()) }
        return try ConfigFile.parse(String(decoding: bytes, as: UTF8.self), fileName: path)
    }

    /// The experiment's checkpoint policy (`checkpoint:` in its settings).
    /// - Parameter experiment: the experiment.
    /// - Returns: the policy, or nil when the experiment sets none.
    /// - Throws: `CairnError` of kind `.invalidConfig` when it is not a mapping of known keys and
    ///   values, or when the settings cannot be read.
    public func checkpointPolicy(of experiment: ExperimentRecord) throws(CairnError) -> CheckpointPolicy? {
        guard case .mapping(let root) = try settings(of: experiment), let value = root["checkpoint"] else { return nil }
        guard case .mapping(let mapping) = value else {
            throw CairnError(.invalidConfig, "'checkpoint' in '\(experimentSettingsPath(experiment.id))' is not a mapping")
        }
        return try CheckpointPolicy(mapping: mapping, source: experimentSettingsPath(experiment.id) + " (checkpoint)")
    }

    /// Changes experiment settings with `key=value` assignments (`checkpoint.top_k=3`), checking them
    /// before anything is written, under the experiment's lock.
    /// - Parameters:
    ///   - experiment: the experiment.
    ///   - assignments: `checkpoint.KEY=VALUE` words (the only settings today).
    /// - Returns: the new settings.
    /// - Throws: `CairnError` for a malformed assignment or an unknown setting, a policy that is invalid
    ///   once resolved with the store's (nothing is written then), or a write that fails.
    @discardableResult
    public func updateSettings(of experiment: ExperimentRecord, _ assignments: [String]) throws(CairnError) -> ConfigValue {
        try checkWritable()
        var overrides: [ConfigOverride] = []
        for text in assignments {
            let override = try ConfigOverride(parsing: text)
            guard override.path.first == "checkpoint", override.path.count >= 2 else {
                throw CairnError(.invalidValue, "unknown experiment setting '\(override.key)'",
                                 hint: "settings are checkpoint.KEY=VALUE, with KEY one of: " + CheckpointPolicy.knownKeys.joined(separator: ", "))
            }
            overrides.append(override)
        }
        return try withExperimentLock(experiment.id) { () throws(CairnError) -> ConfigValue in
            let updated = try settings(of: experiment).applying(overrides, addsAnyKey: true)  // keys checked above
            if case .mapping(let root) = updated, case .mapping(let checkpoint)? = root["checkpoint"] {
                let policy = try CheckpointPolicy(mapping: checkpoint, source: "the experiment's settings")
                try CheckpointPolicy.resolve(store: try storeCheckpointPolicy(), experiment: policy).validate()
            }
            try AtomicFile.write(ConfigFile.yaml(updated), to: experimentSettingsPath(experiment.id))
            return updated
        }
    }
}
