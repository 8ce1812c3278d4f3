import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Du: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the disk space of experiments and runs, by kind: checkpoints, logs, metrics, artifacts, other.",
            discussion: """
                Without EXP: one line per experiment, largest first. With EXP (a name or a pattern such as \
                'vae/*'), or with --runs: one line per run. Sizes are the files' apparent sizes; a file with \
                several hard links counts once; symbolic links (pointers) count nothing. Runs deleted softly \
                are counted and marked.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("An experiment (a name, or a pattern such as 'vae/*'): list its runs.", valueName: "exp"))
        var experiment: String?
        @Flag(help: "One line per run, even without EXP.") var runs = false
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let store = try storeOptions.open()
            let scope = try experiment.map { text throws(CairnError) in try store.experiments(matching: text) }
            let usage = try await store.diskUsage(experiments: scope)
            for folder in usage.unreadable { Terminal.warning("cannot read the folder \(folder); its files are not counted") }
            try output.print(usage, text: scope != nil || runs ? DiskUsageText.runs : DiskUsageText.experiments)
        }
    }
}
