import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptPath: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path", abstract: "Print a checkpoint's path: best, last (their stable names), epoch=N or step=N.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run.", valueName: "run")) var runReference: RunReference
        @Argument(help: "best | last | epoch=N | step=N") var which: CheckpointSelector
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let view = try RunCheckpoints.read(store: store, run: try store.run(runReference))
            try output.print(try view.checkpoint(which)) { checkpoint in
                guard case .pointer(let name) = which else { return checkpoint.path }
                return checkpoint.pointerPaths[name] ?? checkpoint.path
            }
        }
    }
}
