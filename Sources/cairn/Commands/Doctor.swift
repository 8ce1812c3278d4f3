import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a store for files deleted or left behind outside Cairn (--fix repairs them).",
            discussion: """
                Reports run folders deleted by hand, checkpoints whose file is gone, best/last names that \
                lead elsewhere than the manifest says, saves left pending and temporaries of processes that \
                are gone. --fix removes the missing runs from the registry (latest moves to the newest run \
                that exists), records missing checkpoints as pruned, moves the pointers to the best and \
                last that exist, and removes the temporaries. Exit status 1 when problems remain.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Flag(help: "Repair what is found.") var fix = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let report = try store.doctor(fix: fix)
            try output.print(report, text: DoctorText.report)
            if !report.healthy { throw ProcessExit(code: 1) }
        }
    }
}
