import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a run's checkpoints (kept ones; --all adds pruned).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
        @Flag(help: "Also list pruned, replaced and aborted checkpoints.") var all = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let view = try RunCheckpoints.view(store: store, run: try RunReference.resolve(runArgument))
            let entries = all ? view.state.entries.filter { $0.status != .pending } : view.kept
            var pointers: [Int: [String]] = [:]
            for (name, pointer) in view.state.pointers.sorted(by: { $0.key < $1.key }) { pointers[pointer.seq, default: []].append(name) }
            if output.json {
                try JSONOutput.print(entries.map { CheckpointJSON.entry($0, runFolder: view.runFolder, pointers: pointers[$0.seq] ?? []) })
                return
            }
            if entries.isEmpty {
                Terminal.out("No checkpoints yet. Save one with 'cairn ckpt save PATH --epoch N'.")
                return
            }
            var table = Table("#", "EPOCH", "STEP", "METRICS", "SIZE", "STATUS", "PATH")
            for entry in entries {
                let metrics = entry.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(Formatting.number($0.value))" }.joined(separator: " ")
                var status = CheckpointJSON.status(entry)
                if let names = pointers[entry.seq] { status += " (" + names.joined(separator: ", ") + ")" }
                if all, !entry.isKept { status += ": " + CheckpointJSON.reason(entry) }
                table.add([String(entry.seq), String(entry.epoch), entry.step.map(String.init) ?? "-", metrics.isEmpty ? "-" : metrics,
                           Formatting.bytes(entry.bytes), status, entry.path])
            }
            Terminal.out(table.text)
        }
    }
}
