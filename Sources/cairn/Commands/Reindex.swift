import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the store's index (.cairn/index.sqlite, or its PostgreSQL database) from its files.",
            discussion: "The index is a cache: deleting it loses nothing. --check reports what it says that the files do not, and changes nothing. --database fills a PostgreSQL database from the files (a new server's first step; or after restoring the files without a pg_dump).")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var databaseOptions: DatabaseOptions
        @Flag(name: .long, help: "Report what differs between the index and the files; change nothing (exit 1 when something differs).")
        var check = false
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let store = try storeOptions.open()
            try databaseOptions.apply(to: store)
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
