import ArgumentParser
import CairnCore
import CairnKit
import CairnServer
import Foundation
import Logging

extension Cairn {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the store over HTTP: the web UI at /, MLflow's tracking API (set MLFLOW_TRACKING_URI=http://127.0.0.1:5000) and Cairn's JSON API.",
            discussion: "Without a store ($CAIRN_STORE, or one upwards), creates ./cairn-store (or the folder --store names) and says so first. SIGINT or SIGTERM stop it once the requests in flight are answered.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var databaseOptions: DatabaseOptions
        @Option(help: "The address to listen on.") var host = "127.0.0.1"
        @Option(help: "The port to listen on (0: any free port, printed).") var port = 5000
        @Flag(help: "Print the OpenAPI document of Cairn's JSON API (/api/cairn/v1/openapi.json, docs/openapi.json) and exit.")
        var openapi = false
        @Option(help: "A token every request must carry (Bearer, or the basic-auth password); also $CAIRN_TOKEN. Required to listen on an address other than 127.0.0.1.")
        var token: String?
        @Option(help: ArgumentHelp("Serve the web UI's files from this folder instead of the ones built into the binary (for working on them: edit, reload).", valueName: "DIR"), completion: .directory)
        var uiDir: String?

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        }

        func run() async throws {
            if openapi {
                Terminal.out(String(CairnAPIDocument.text.dropLast()))
                return
            }
            let token = self.token ?? ProcessInfo.processInfo.environment["CAIRN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            if token == nil && !CairnServer.isLoopback(host) {
                throw CairnError(.invalidValue, "serving on \(host) needs a token: anyone who reaches the address could write to the store",
                                 hint: "give --token TOKEN (or set CAIRN_TOKEN), and MLFLOW_TRACKING_TOKEN=TOKEN to the clients; or serve on 127.0.0.1")
            }
            let ui = uiDir.map { WebUIFiles.folder($0) } ?? .embedded
            try ui.validate()
            let store: Store
            if let found = try storeOptions.openIfPresent() {
                store = found
            } else {
                // A --store that names no store yet is where the new one goes; else ./cairn-store.
                let place = storeOptions.store ?? "cairn-store"
                store = OpenedStores.add(try Store.initialize(at: place, layoutName: BuiltinLayouts.cairn.name, logger: StoreOptions.logger))
                Terminal.out("No store here: created one in \(store.root)")
            }
            try databaseOptions.apply(to: store)
            if store.indexIsDatabase {
                // Servers on several hosts share the store: its mount must lock across hosts. Then
                // connect, create or migrate the schema and check the store's id before listening.
                try store.checkSharedStorage()
                try await store.openIndexNow()
            }
            let host = self.host
            let root = store.root
            do {
                try await CairnServer(store: store, host: host, port: port, token: token, ui: ui, logger: Logger(label: "cairn.server")).run { port in
                    Terminal.out("Serving \(root) at http://\(host):\(port) (web UI at /; MLFLOW_TRACKING_URI=http://\(host):\(port))")
                }
            } catch {
                throw CairnError(.io, "could not serve on \(host):\(port)", hint: "another process may hold the port: choose another with --port",
                                 cause: "\(error)")
            }
        }
    }
}
