import ArgumentParser
import Foundation
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunNew: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a run and print its folder.",
            discussion: "The run is RUNNING until 'cairn run finish' or 'cairn run fail'; its lease is held by the calling process (use --owner-pid to name another).")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var runOptions: RunCreationOptions
        @Option(help: "The process that owns the run while it is RUNNING (default: the parent of cairn, i.e. the calling script).")
        var ownerPid: Int32?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            var request = try runOptions.request()
            request.command = CommandLine.arguments
            request.owner = ownerPid.map { LeaseOwner(pid: $0) } ?? .parentProcess
            let run = try store.createRun(request)
            if output.json {
                try JSONOutput.print(["id": run.id.value, "experiment": run.record.experiment, "folder": run.absoluteFolder,
                                      "status": run.record.status.rawValue])
            } else {
                Terminal.out(run.absoluteFolder)
            }
        }
    }
}

/// The options that describe a new run, shared by `run new` and `exec`.
struct RunCreationOptions: ParsableArguments {
    @Option(name: [.customShort("e"), .long], help: "The experiment (created if it does not exist).")
    var experiment: String
    @Option(help: "A human name for the run.")
    var name: String?
    @Option(help: "A config file (YAML, or JSON when it ends in .json) to snapshot as the run's config.yaml.", completion: .file())
    var config: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value: a.b.c=VALUE (typed: 3e-4 is a float, [1, 2] a list). Repeatable.", valueName: "key=value"))
    var overrides: [String] = []
    @Option(name: .customLong("tag"), help: ArgumentHelp("Set a tag: KEY=VALUE. Repeatable.", valueName: "key=value"))
    var tags: [String] = []
    @Option(name: .customLong("field"), help: ArgumentHelp("Give a layout field the run folder needs (e.g. train_prompt_id=3 for prompt-tree). Repeatable.", valueName: "key=value"))
    var fields: [String] = []
    @Flag(help: "Do not record the git commit and diff.")
    var noGit = false

    func request() throws(CairnError) -> RunRequest {
        let name = try ExperimentName(experiment)
        let (config, source) = try RunConfig.load(path: self.config, overrides: overrides)
        var tagValues: [String: String] = [:]
        for text in tags {
            let (key, value) = try RunTags.parseAssignment(text)
            tagValues[key] = value
        }
        var fieldValues: [String: String] = [:]
        for text in fields {
            let (key, value) = try RunTags.parseAssignment(text, what: "field")
            fieldValues[key] = value
        }
        let hasConfig = self.config != nil || !overrides.isEmpty
        return RunRequest(experiment: name, name: self.name, config: hasConfig ? config : nil, configSource: source,
                          configOverrides: overrides, tags: tagValues, layoutFields: fieldValues,
                          workingDirectory: FileManager.default.currentDirectoryPath, captureGit: !noGit)
    }
}
