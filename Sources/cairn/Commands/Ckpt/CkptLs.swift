import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a run's checkpoints (kept ones; --all adds pruned).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
        @Flag(help: "Also list pruned, replaced and aborted checkpoints, with why.") var all = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let view = try RunCheckpoints.read(store: store, run: try store.run(runReference ?? .environment))
            try output.print(view.checkpoints(includingPruned: all)) { CheckpointText.table($0, reasons: all) }
        }
    }
}
