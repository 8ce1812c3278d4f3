import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.ArchiveGroup {
    struct ArchiveCreate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Write runs (or whole experiments) to a gzip-compressed tar archive.",
            discussion: """
                The archive holds the run folders at their places in the store's tree, the runs' registry \
                entries and experiment records under .cairn/, and a manifest (cairn-archive.json, last) with \
                every file's size and SHA-256; 'tar xzf' extracts it, 'cairn archive extract' puts the runs \
                back. It is written beside FILE under a hidden name, read back and checked against the \
                manifest, then renamed to FILE. With --remove, the runs are then removed from the store for \
                good (as 'cairn trash empty' does). A RUNNING run whose owner is alive is refused unless \
                --force. Links that lead out of a run folder are refused.
                Example: cairn archive create mnist -o mnist.tar.gz --remove
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("Runs (ids or unique prefixes) or experiments (names).", valueName: "run-or-experiment"))
        var words: [String]
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The archive to write (.tar.gz); it must not exist.", valueName: "file"))
        var output: String
        @Option(help: "gzip's compression level, 0 (none) to 9 (smallest).") var level = 6
        @Flag(help: "Remove the runs from the store once the archive is verified.") var remove = false
        @Flag(help: "Also archive (and remove) runs whose owner is alive.") var force = false
        @Flag(help: "Do not read the archive back before renaming it into place.") var noVerify = false
        @OptionGroup var outputFormat: JSONFlag

        func validate() throws {
            if words.isEmpty { throw ValidationError("name at least one run or experiment") }
            if !(0...9).contains(level) { throw ValidationError("--level must be between 0 and 9") }
            if remove && noVerify { throw ValidationError("--remove needs the archive verified: drop --no-verify") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let writing = ProgressBar(label: "Archiving")
            let verifying = ProgressBar(label: "Verifying")
            let archive = try store.createArchive(words, at: output, level: level, remove: remove, force: force, verify: !noVerify) { phase, done, total in
                if phase == "verify" {
                    writing.finish()
                    verifying.update(done: done, total: total, unit: .bytes)
                } else {
                    writing.update(done: done, total: total, unit: .bytes)
                }
            }
            writing.finish()
            verifying.finish()
            try outputFormat.print(archive, text: ArchiveText.summary)
        }
    }
}
