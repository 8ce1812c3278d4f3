import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the store's index (.cairn/index.sqlite) from its files.",
            discussion: "The index is a cache: deleting it loses nothing. --check reports what it says that the files do not, and changes nothing.")

        @OptionGroup var storeOptions: StoreOptions
        @Flag(name: .long, help: "Report what differs between the index and the files; change nothing (exit 1 when something differs).")
        var check = false
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let store = try storeOptions.open()
            if check {
                let report = try await store.checkIndex()
                try output.print(report) { IndexText.check($0) }
                if !report.differences.isEmpty { throw ProcessExit(code: 1) }
                return
            }
            let bar = ProgressBar(label: "indexing runs", enabled: !output.json)
            let report = try await store.reindex { done, total in bar.update(done: Int64(done), total: Int64(total), unit: .count) }
            bar.finish()
            try output.print(report) { IndexText.reindex($0) }
        }
    }
}
