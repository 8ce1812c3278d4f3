import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.ArchiveGroup {
    struct ArchiveExtract: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extract", abstract: "Put the runs of an archive back into the store, with their ids.",
            discussion: """
                Runs come back at their folders, in their experiments (created with their ids when the store \
                lacks them). Everything is extracted under .cairn/ first and checked against the archive's \
                manifest, then moved into place: an archive with a run id the store has, a member with '..' or \
                an absolute path, a link leading out of its run folder, a device, or a file that differs from \
                the manifest is refused, and the store is left as it was.
                Example: cairn archive extract mnist.tar.gz
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The archive (.tar.gz).", valueName: "file")) var file: String
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let bar = ProgressBar(label: "Extracting")
            let archive = try store.extractArchive(at: file) { done, total in bar.update(done: done, total: total, unit: .bytes) }
            bar.finish()
            try output.print(archive, text: ArchiveText.summary)
        }
    }
}
