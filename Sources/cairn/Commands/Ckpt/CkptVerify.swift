import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptVerify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Re-hash a run's kept checkpoints and report missing files and sha256 mismatches.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let checkpoints = try RunCheckpoints.open(store: store, run: try store.run(runReference ?? .environment))
            let bar = ProgressBar(label: "verifying", enabled: !output.json)
            let report = try checkpoints.verifyAnswer { done, total in bar.update(done: Int64(done), total: Int64(total), unit: .count) }
            bar.finish()
            try output.print(report, text: CheckpointText.verification)
            if !report.ok { throw ProcessExit(code: 1) }
        }
    }
}
