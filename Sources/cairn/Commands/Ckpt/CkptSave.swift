import ArgumentParser
import Foundation
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
        @Option(help: "The epoch of the checkpoint.") var epoch: Int
        @Option(help: "The global step of the checkpoint.") var step: Int?
        @Option(name: .customLong("metric"), help: ArgumentHelp("A metric at this checkpoint: NAME=VALUE. Repeatable.", valueName: "name=value"))
        var metrics: [String] = []
        @Flag(help: "How to take the files: --copy (default) leaves them; --move renames them in; --link hard-links them.")
        var transfer: CheckpointSource.Transfer = .copy
        @Flag(help: "Accept NaN and Inf metric values (recorded; never best).") var allowNonfinite = false
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (runReference, paths) = try split()
            var values: [String: Double] = [:]
            for text in metrics {
                let (key, value) = try RunTags.parseAssignment(text, what: "metric")
                guard let number = Self.number(value) else {
                    throw CairnError(.invalidValue, "the metric \(key) has the value '\(value)', which is not a number",
                                     hint: "write NAME=NUMBER, e.g. val_loss=0.31 (nan and inf are numbers too)")
                }
                values[key] = number
            }
            let request = CheckpointSaveRequest(epoch: epoch, step: step, metrics: values,
                                                source: .files(paths.map(Self.absolute), transfer), policy: try policy.policy(),
                                                allowNonFinite: allowNonfinite)
            let store = try storeOptions.open()
            let checkpoints = try RunCheckpoints.open(store: store, run: runReference)
            let bar = ProgressBar(label: "saving", enabled: !output.json)
            let total = paths.reduce(Int64(0)) { $0 + Self.size(of: Self.absolute($1)) }
            let result = try checkpoints.save(request) { done in bar.update(done: done, total: total, unit: .bytes) }
            bar.finish()
            if output.json {
                try JSONOutput.print(CheckpointJSON.saveResult(result, runFolder: checkpoints.run.absoluteFolder))
                return
            }
            guard let entry = result.entry else {
                Terminal.out("Skipped: \(result.skippedBecause ?? "the policy skips this save")")
                return
            }
            Terminal.out(checkpoints.run.absoluteFolder + "/" + entry.path)
            for pruned in result.pruned { Terminal.note("pruned \(pruned.path): \(pruned.reason)") }
        }

        /// Splits `[RUN] PATH...`: the first word is a run when it is not an existing path and more follow.
        func split() throws(CairnError) -> (run: String, paths: [String]) {
            if arguments.count >= 2, !FileManager.default.fileExists(atPath: arguments[0]) {
                return (arguments[0], Array(arguments.dropFirst()))
            }
            return (try RunReference.resolve(nil), arguments)
        }

        /// The bytes under a path (a file, or every file of a folder), for the progress bar.
        static func size(of path: String) -> Int64 {
            let manager = FileManager.default
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else { return 0 }
            if !isFolder.boolValue { return (try? manager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0 }
            var total: Int64 = 0
            for case let file as String in manager.enumerator(atPath: path) ?? NSEnumerator() {
                total += (try? manager.attributesOfItem(atPath: path + "/" + file)[.size] as? NSNumber)?.int64Value ?? 0
            }
            return total
        }

        static func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        }

        static func number(_ text: String) -> Double? {
            switch text.lowercased() {
            case "nan": return .nan
            case "inf", "+inf", "infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            default: return Double(text)
            }
        }
    }
}

extension CheckpointSource.Transfer: EnumerableFlag {}
