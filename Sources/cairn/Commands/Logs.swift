import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's log (what cairn exec captured, one timestamped line per line of output).",
            discussion: "With --follow, keeps printing what is appended until the run ends (or Ctrl-C). With --json, one JSON object per line: time, stream, text.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
        @Flag(name: .shortAndLong, help: "Keep printing new lines until the run ends.") var follow = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference ?? .environment)
            if output.json {
                var failure: CairnError?
                try store.readLogLines(of: run, follow: follow) { line in
                    do throws(CairnError) { Terminal.out(try CairnJSON.line(line)) } catch { failure = failure ?? error }
                }
                if let failure { throw failure }
            } else {
                var empty = true
                try store.readLog(of: run, follow: follow) { bytes in
                    empty = empty && bytes.isEmpty
                    Terminal.write(1, bytes)
                }
                if empty { Terminal.note("the log of run \(run.id) is empty: its command printed nothing") }
            }
        }
    }
}
