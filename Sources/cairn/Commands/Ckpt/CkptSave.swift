import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptSave: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "save",
            abstract: "Save a checkpoint: one file, or several files or a folder as one folder checkpoint.",
            discussion: "RUN defaults to $CAIRN_RUN_ID. The checkpoint is named by the run's layout; best and last are updated, and the policy prunes.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("[RUN] PATH...: the run (optional) and the checkpoint file(s) or folder.", valueName: "path"),
                  completion: .file())
        var arguments: [String]
        @Option(parsing: .unconditional, help: "The epoch of the checkpoint (give --epoch, --step or both).") var epoch: Int?
        @Option(parsing: .unconditional, help: "The global step of the checkpoint.") var step: Int?
        @Option(name: .customLong("metric"), help: ArgumentHelp("A metric at this checkpoint: NAME=VALUE. Repeatable.", valueName: "NAME=VALUE"))
        var metrics: [Assignment] = []
        @Flag(help: "How to take the files: --copy (default) leaves them; --move renames them in; --link hard-links them.")
        var transfer: CheckpointSource.Transfer = .copy
        @Flag(help: "Accept NaN and Inf metric values (recorded; never best).") var allowNonfinite = false
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if epoch == nil && step == nil { throw ValidationError("the checkpoint has neither an epoch nor a step: give --epoch N, --step N, or both") }
        }

        func run() throws {
            let (runReference, paths) = CheckpointSource.runAndPaths(arguments)
            var values: [String: Double] = [:]
            for metric in metrics { values[metric.key] = try metric.number() }
            let source = CheckpointSource.files(at: paths, transfer)
            let request = CheckpointSaveRequest(epoch: epoch, step: step, metrics: values, source: source, policy: policy.policy,
                                                allowNonFinite: allowNonfinite)
            try request.validate()
            let store = try storeOptions.open()
            let checkpoints = try RunCheckpoints.open(store: store, run: try store.run(runReference))
            let bar = ProgressBar(label: "saving", enabled: !output.json)
            let total = source.byteCount
            let result = try checkpoints.save(request) { done in bar.update(done: done, total: total, unit: .bytes) }
            bar.finish()
            try output.print(result.answer) { answer in
                guard let saved = answer.saved else { return "Skipped: \(answer.skipped ?? "the policy skips this save")" }
                for pruned in answer.pruned { Terminal.note("pruned \(pruned.relativePath): \(pruned.reason)") }
                return saved.path
            }
        }
    }
}
