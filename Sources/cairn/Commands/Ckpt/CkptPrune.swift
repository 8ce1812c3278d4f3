import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptPrune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune", abstract: "Delete the checkpoints the policy does not keep (--dry-run lists them).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
        @Flag(help: "List what would be pruned; change nothing.") var dryRun = false
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let checkpoints = try RunCheckpoints.open(store: store, run: try RunReference.resolve(runArgument))
            let pruned = try checkpoints.prune(policy: try policy.policy(), dryRun: dryRun)
            if output.json {
                try JSONOutput.print(pruned.map { ["seq": $0.seq, "path": checkpoints.run.absoluteFolder + "/" + $0.path, "reason": $0.reason] as [String: Any] })
                return
            }
            for item in pruned { Terminal.out("\(dryRun ? "would prune" : "pruned") #\(item.seq) \(item.path): \(item.reason)") }
            if pruned.isEmpty { Terminal.out("Nothing to prune: the policy keeps every checkpoint.") }
        }
    }
}
