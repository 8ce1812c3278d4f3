import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TB {
    struct TBExport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write a run's metrics (every split) to its event file; tags are SPLIT/KEY.",
            discussion: "The run's event file is rebuilt from its metrics and replaced, so exporting again never makes TensorBoard read a point twice. Refused while the run is RUNNING and writes its live event file (metric log --tb).")

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
