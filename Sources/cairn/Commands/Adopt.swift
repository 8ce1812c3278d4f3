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
        @Option(help: "A YAML file defining the tree's layout (role: template, as in cairn.yaml's layouts:); the store keeps it.", completion: .file(extensions: ["yaml", "yml"]))
        var layoutFile: String?
        @Option(help: "Put the store (cairn.yaml, .cairn/) in this folder instead, leaving the tree untouched.", completion: .directory)
        var store: String?
        @Flag(help: "Only report what would be adopted.")
        var dryRun = false
        @Flag(help: "Read an adopted store's tree again and register the run folders made since (each command does this for folders whose time changed).")
        var refresh = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            if refresh {
                let store = try Store.open(at: store ?? path, logger: StoreOptions.logger)
                return try output.print(try store.refreshAdoptedTree(full: true), text: AdoptionText.refresh)
            }
            let bar = ProgressBar(label: "adopting", enabled: !output.json)
            let request = AdoptRequest(tree: path, layout: layout, storeRoot: store, dryRun: dryRun, layoutFile: layoutFile)
            let report = try Store.adopt(request, logger: StoreOptions.logger) { _, done, total in
                bar.update(done: Int64(done), total: Int64(total ?? max(done, 1)), unit: .count)
            }
            bar.finish()
            ProcessLifetime.keep(report)
            try output.print(CairnAPI.Adoption(report), text: AdoptionText.report)
        }
    }
}
