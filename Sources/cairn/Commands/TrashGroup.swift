import ArgumentParser

extension Cairn {
    struct TrashGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trash",
            abstract: "List, restore or empty the runs and experiments deleted softly ('cairn rm', MLflow's delete).",
            subcommands: [TrashLs.self, TrashRestore.self, TrashEmpty.self])
    }
}
