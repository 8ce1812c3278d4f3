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
    @Option(help: "A config file (YAML, or JSON when it ends in .json) to snapshot as the run's config.yaml.", completion: .file())
    var config: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value: a.b.c=VALUE (typed: 3e-4 is a float, [1, 2] a list). Repeatable.", valueName: "key=value"))
    var overrides: [String] = []
    @Option(name: .customLong("tag"), help: ArgumentHelp("Set a tag: KEY=VALUE. Repeatable.", valueName: "KEY=VALUE"))
    var tags: [Assignment] = []
    @Option(name: .customLong("field"), help: ArgumentHelp("Give a layout field the run folder needs (e.g. train_prompt_id=3 for the prompt tree). Repeatable.", valueName: "KEY=VALUE"))
    var fields: [Assignment] = []
    @Flag(help: "Do not record the git commit and diff.")
    var noGit = false

    func request() throws(CairnError) -> RunRequest {
        try RunRequest(experiment: experiment, name: name, configFile: config, overrides: overrides, tags: tags, fields: fields,
                       captureGit: !noGit)
    }
}
