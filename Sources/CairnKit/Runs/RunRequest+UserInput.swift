import CairnCore

extension RunRequest {
    /// A request from what a user gave `cairn run new` or `cairn exec`: the experiment's name, a config
    /// file and `--set` overrides (read and applied now, so a bad config stops before anything is
    /// created), tags and layout fields.
    /// - Parameters:
    ///   - experiment: the experiment's name (created if it does not exist).
    ///   - name: a human name for the run.
    ///   - configFile: a YAML or JSON config to snapshot as the run's `config.yaml`.
    ///   - overrides: `--set a.b.c=VALUE` overrides, typed (`+a.b.c=VALUE` adds a key).
    ///   - additions: `--add a.b.c=VALUE` keys the config file does not have; recorded as `+a.b.c=VALUE`.
    ///   - tags: tags to set.
    ///   - fields: layout fields the run folder needs (`train_prompt_id=3` for the prompt tree).
    ///   - captureGit: record the git commit and diff of the working folder.
    /// - Throws: `CairnError` for an invalid name, a missing or malformed config, a malformed override
    ///   or one whose type clashes with the config's, or an invalid tag key.
    public init(experiment: String, name: String?, configFile: String?, overrides: [String], additions: [String] = [],
                tags: [Assignment], fields: [Assignment], captureGit: Bool) throws(CairnError) {
        let experimentName = try ExperimentName(experiment)
        let (config, source) = try RunConfig.load(path: configFile, overrides: overrides, additions: additions)
        for tag in tags { try RunTags.validateKey(tag.key) }
        for field in fields { try RunTags.validateKey(field.key, what: "field key") }
        let hasConfig = configFile != nil || !overrides.isEmpty || !additions.isEmpty
        let given = additions.map { $0.hasPrefix("+") ? $0 : "+" + $0 } + overrides
        self.init(experiment: experimentName, name: name, config: hasConfig ? config : nil, configSource: source,
                  configOverrides: given, tags: tags.dictionary, layoutFields: fields.dictionary,
                  workingDirectory: Paths.currentDirectory(), captureGit: captureGit)
    }
}
