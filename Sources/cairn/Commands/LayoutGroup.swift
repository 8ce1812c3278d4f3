import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct LayoutGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "layout",
            abstract: "List and show layouts: the path templates that name experiment, run and checkpoint folders.",
            subcommands: [LayoutLs.self, LayoutShow.self])
    }
}
