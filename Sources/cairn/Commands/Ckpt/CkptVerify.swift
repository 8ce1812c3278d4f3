import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptVerify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Re-hash a run's kept checkpoints and report missing files and sha256 mismatches.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let checkpoints = try RunCheckpoints.open(store: store, run: try RunReference.resolve(runArgument))
            let bar = ProgressBar(label: "verifying", enabled: !output.json)
            let (checked, problems) = try checkpoints.verify { done, total in bar.update(done: Int64(done), total: Int64(total), unit: .count) }
            bar.finish()
            if output.json {
                try JSONOutput.print(["checked": checked, "problems": problems.map {
                    ["seq": $0.seq, "path": $0.path, "problem": $0.kind.rawValue, "found_sha256": JSONOutput.optional($0.found)] as [String: Any]
                }] as [String: Any])
            } else {
                for problem in problems {
                    Terminal.out(problem.kind == .missing ? "MISSING   #\(problem.seq) \(problem.path)"
                                                          : "MISMATCH  #\(problem.seq) \(problem.path) (sha256 now \(problem.found ?? "?"))")
                }
                Terminal.out(problems.isEmpty ? "\(checked) checkpoints verified: all match the manifest"
                                              : "\(problems.count) of \(checked) checkpoints do not match the manifest")
            }
            if !problems.isEmpty { throw ProcessExit(code: 1) }
        }
    }
}
