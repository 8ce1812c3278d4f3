import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.ArchiveGroup {
    struct ArchiveLs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "List the runs of an archive and their sizes (from its manifest).")

        @Argument(help: ArgumentHelp("The archive (.tar.gz).", valueName: "file")) var file: String
        @Flag(help: "Also check every file against the manifest's SHA-256.") var verify = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let bar = ProgressBar(label: verify ? "Verifying" : "Reading")
            let archive = try Store.listArchive(at: file, verify: verify) { done, total in bar.update(done: done, total: total, unit: .bytes) }
            bar.finish()
            try output.print(archive, text: ArchiveText.summary)
        }
    }
}
