import ArgumentParser

extension Cairn {
    struct Exp: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create and list experiments.",
            subcommands: [ExpNew.self, ExpLs.self, ExpSet.self])
    }
}
