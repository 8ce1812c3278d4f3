import CairnCore

/// The resume fields of a config, as pretrain-finetune projects' generators set them when they clone an
/// experiment to resume it: `is_resume`, `checkpoint_path`, `strict`, `load_only_model_state` and, when
/// the training resumes another experiment's checkpoint, `resume_pretraining_name`.
///
/// They go into the config's existing resume section — the first mapping named `resume` (depth first,
/// in file order) that holds `is_resume` or `checkpoint_path` — else into a new `training.resume`.
/// `strict` and `load_only_model_state` keep the values the config gives them (default `true` and `false`).
public enum ResumeFields {
    /// The config with its resume fields set.
    /// - Parameters:
    ///   - config: the source run's config.
    ///   - checkpointPath: the checkpoint to load, as the config should name it.
    ///   - sourceName: the name of the experiment resumed, when it is not the new run's own (seed
    ///     projects' `resume_pretraining_name`), else nil.
    /// - Returns: the config to run with.
    public static func apply(to config: ConfigValue, checkpointPath: String, sourceName: String?) -> ConfigValue {
        let section = resumeSection(in: config) ?? ["training", "resume"]
        let existing = config.value(at: section)?.mappingValue ?? ConfigMapping()
        var result = config.setting(section + ["is_resume"], to: .bool(true))
        if let sourceName { result = result.setting(section + ["resume_pretraining_name"], to: .string(sourceName)) }
        result = result.setting(section + ["checkpoint_path"], to: .string(checkpointPath))
        result = result.setting(section + ["strict"], to: existing["strict"] ?? .bool(true))
        result = result.setting(section + ["load_only_model_state"], to: existing["load_only_model_state"] ?? .bool(false))
        return result
    }

    /// The path of the config's resume section, or nil when it has none.
    public static func resumeSection(in config: ConfigValue) -> [String]? {
        guard let mapping = config.mappingValue else { return nil }
        for (key, value) in mapping.entries {
            guard let inner = value.mappingValue else { continue }
            if key == "resume" && (inner["is_resume"] != nil || inner["checkpoint_path"] != nil) { return [key] }
            if let found = resumeSection(in: value) { return [key] + found }
        }
        return nil
    }
}
