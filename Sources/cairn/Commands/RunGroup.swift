import ArgumentParser

extension Cairn {
    struct RunGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Create, end, list and inspect runs.",
            subcommands: [RunNew.self, RunFinish.self, RunFail.self, RunLs.self, RunShow.self, RunTag.self, RunParam.self])
    }
}
