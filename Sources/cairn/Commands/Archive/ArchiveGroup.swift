import ArgumentParser

extension Cairn {
    struct ArchiveGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "archive",
            abstract: "Write runs to a .tar.gz that tar reads, and put them back in a store with their ids.",
            subcommands: [ArchiveCreate.self, ArchiveExtract.self, ArchiveLs.self])
    }
}
