import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TB {
    struct TBExport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write a run's metrics (every split) to a new event file; tags are SPLIT/KEY.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(try RunReference.resolve(runArgument))
            let (path, scalars) = try store.exportTensorBoard(run)
            if output.json {
                try JSONOutput.print(["path": path, "scalars": scalars] as [String: Any])
            } else {
                Terminal.out(path)
                Terminal.note("\(scalars) scalars written; view them with: tensorboard --logdir \(run.absoluteFolder)")
            }
        }
    }
}
