import ArgumentParser
import Foundation
import CairnCore
import CairnKit
import Logging

/// `--store DIR`, shared by every command that works on a store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store's root folder (default: $CAIRN_STORE, else the nearest folder upwards holding cairn.yaml).",
            completion: .directory)
    var store: String?

    /// The logger every store a command opens gets: warnings become one `cairn: warning:` line on
    /// stderr (main.swift bootstraps `WarningLogHandler` before any command runs).
    static var logger: Logger { Logger(label: "cairn") }

    /// The store, logging the faults it survives through the bootstrapped `WarningLogHandler`.
    func open() throws(CairnError) -> Store { try Self.open(store) }

    /// The store `--store DIR` names (nil: `$CAIRN_STORE`, else the nearest store upwards).
    static func open(_ store: String?) throws(CairnError) -> Store {
        OpenedStores.add(try Store.locate(explicit: store, environment: ProcessInfo.processInfo.environment, logger: logger))
    }

    /// The store, or nil when there is none (a broken one is an error).
    func openIfPresent() throws(CairnError) -> Store? {
        try Store.locateIfPresent(explicit: store, environment: ProcessInfo.processInfo.environment, logger: Self.logger).map(OpenedStores.add)
    }
}
