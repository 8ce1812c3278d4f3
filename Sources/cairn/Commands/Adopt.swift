import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an existing tree of runs a store in place: writes only cairn.yaml and .cairn/ (nothing with --store).",
            discussion: """
                Reads the tree with a layout (--layout NAME, or auto: the one that explains most files), \
                and records its experiments, runs, checkpoints (epoch/step/score from their names; best \
                and last), configs, metrics, event files and logs. No file of the tree is changed, and \
                checkpoints are not hashed (their sha256 is recorded by the first 'cairn ckpt verify' or \
                migration). Files no layout explains are listed.
                """)

        @Argument(help: "The tree's root folder.", completion: .directory)
        var path: String = "."
        @Option(help: "The layout the tree follows ('cairn layout ls'), or auto.", completion: ShellCompletion.layoutsOrAuto)
        var layout: String = "auto"
        @Option(help: "Put the store (cairn.yaml, .cairn/) in this folder instead, leaving the tree untouched.", completion: .directory)
        var store: String?
        @Flag(help: "Only report what would be adopted.")
        var dryRun = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let bar = ProgressBar(label: "adopting", enabled: !output.json)
            let request = AdoptRequest(tree: path, layout: layout, storeRoot: store, dryRun: dryRun)
            let report = try Store.adopt(request, logger: StoreOptions.logger) { _, done, total in
                bar.update(done: Int64(done), total: Int64(total ?? max(done, 1)), unit: .count)
            }
            bar.finish()
            try output.print(CairnAPI.Adoption(report), text: AdoptionText.report)
        }
    }
}
