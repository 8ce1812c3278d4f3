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

    /// The store, logging the faults it survives through the bootstrapped `WarningLogHandler`.
    func open() throws(CairnError) -> Store {
        try Store.locate(explicit: store, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "cairn"))
    }
}

/// `--json`, shared by every listing command.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

/// Parses an experiment name argument, turning a bad name into one clear error line.
func experimentName(_ text: String) throws(CairnError) -> ExperimentName {
    try ExperimentName(text)
}
