import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TB {
    struct TBExport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write a run's metrics (every split) to a new event file; tags are SPLIT/KEY.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference ?? .environment)
            try output.print(try store.exportTensorBoard(run)) { export in
                Terminal.note("\(export.scalars) scalars written; view them with: tensorboard --logdir \(run.absoluteFolder)")
                return export.path
            }
        }
    }
}
