import ArgumentParser
import CairnCore
import CairnKit

/// The options that describe a new run, shared by `run new` and `exec`.
struct RunCreationOptions: ParsableArguments {
    @Option(name: [.customShort("e"), .long], help: "The experiment (created if it does not exist).",
            completion: ShellCompletion.experiments)
    var experiment: String
    @Option(help: "A human name for the run.")
    var name: String?
    @Option(help: "A config file (YAML, or JSON when it ends in .json) to snapshot as the run's config.yaml (default: the experiment's config.yaml, when 'cairn exp new' made one).", completion: .file())
    var config: String?
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a config value: a.b.c=VALUE, typed like YAML (3e-4 a float, [1, 2] a list). The value must fit the field: an int takes an int, a float an int or float, a bool true/false, a string any plain text, a list a list, a mapping a mapping; null clears any field. The key must be in --config (+a.b.c=VALUE adds a new one); with no --config every key is new. Repeatable.",
        valueName: "key=value"))
    var overrides: [String] = []
    @Option(name: .customLong("add"), help: ArgumentHelp("Add a key that --config does not have: a.b.c=VALUE (same as --set +a.b.c=VALUE). Repeatable.", valueName: "key=value"))
    var additions: [String] = []
    @Option(name: .customLong("tag"), help: ArgumentHelp("Set a tag: KEY=VALUE. Repeatable.", valueName: "KEY=VALUE"))
    var tags: [Assignment] = []
    @Option(name: .customLong("field"), help: ArgumentHelp("Give a layout field the run folder needs (e.g. train_prompt_id=3 for the prompt tree). Repeatable.", valueName: "KEY=VALUE"))
    var fields: [Assignment] = []
    @Flag(help: "Do not record the git commit and diff.")
    var noGit = false

    /// The request, with the experiment's `config.yaml` as the config when no `--config` is given.
    func request(in store: Store) throws(CairnError) -> RunRequest {
        var configFile = config
        if configFile == nil { configFile = try store.experimentConfigPath(named: try ExperimentName(experiment)) }
        return try RunRequest(experiment: experiment, name: name, configFile: configFile, overrides: overrides, additions: additions,
                              tags: tags, fields: fields, captureGit: !noGit)
    }
}
