import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptPrune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune", abstract: "Delete the checkpoints the policy does not keep (--dry-run lists them).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
        @Flag(help: "List what would be pruned; change nothing.") var dryRun = false
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let checkpoints = try RunCheckpoints.open(store: store, run: try store.run(runReference ?? .environment))
            let pruned = try checkpoints.prune(policy: policy.policy, dryRun: dryRun)
            try output.print(CairnAPI.CheckpointPrune(run: checkpoints.run.id, dryRun: dryRun, pruned: pruned), text: CheckpointText.pruning)
        }
    }
}
