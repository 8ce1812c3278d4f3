import ArgumentParser
import Foundation
import CairnCore
import CairnKit

/// `--store DIR`, shared by every command that works on a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store's root folder (default: $CAIRN_STORE, else the nearest folder upwards holding cairn.yaml).",
            completion: .directory)
    var store: String?

    /// The store the command works on.
    func open() throws(CairnError) -> Store {
        try Store.locate(explicit: store, environment: ProcessInfo.processInfo.environment)
    }

    /// The store, or nil when there is none (a broken one is an error).
    func openIfPresent() throws(CairnError) -> Store? {
        try Store.locateIfPresent(explicit: store, environment: ProcessInfo.processInfo.environment)
    }
}
