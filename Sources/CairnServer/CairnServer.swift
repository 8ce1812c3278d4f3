import CairnKit
import Hummingbird
import Logging

/// `cairn serve`: a store over HTTP, speaking MLflow's tracking protocol (every route under both
/// `/api/2.0/mlflow/…` and `/ajax-api/2.0/mlflow/…`), Cairn's JSON API (`/api/cairn/v1/…`) and the web UI
/// at `/`, with `GET /health`.
///
/// Built on Hummingbird 2. SIGINT and SIGTERM shut it down gracefully: it stops accepting, lets the
/// requests in flight finish, then returns. Each request is logged at `info` level through the logger
/// given (method, path, status, milliseconds).
public struct CairnServer: Sendable {
    /// The store served.
    public let store: Store
    /// The address to listen on (`127.0.0.1` by default in the CLI).
    public let host: String
    /// The port (0: any free port; the one taken is given to `onRunning`).
    public let port: Int
    /// Where requests are logged.
    public let logger: Logger
    /// The token every request must carry (nil: none needed; only for the loopback address).
    public let token: String?
    /// Where the web UI's files come from (embedded in the binary, or a folder for development).
    public let ui: WebUIFiles

    public init(store: Store, host: String, port: Int, token: String? = nil, ui: WebUIFiles = .embedded, logger: Logger) {
        self.store = store
        self.host = host
        self.port = port
        self.token = token
        self.ui = ui
        self.logger = logger
    }

    /// True for addresses only this machine reaches (`127.0.0.1`, `::1`, `localhost`), where a token is optional.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Serves until SIGINT or SIGTERM.
    /// - Parameter onRunning: called once the server listens, with its port.
    /// - Throws: when the address cannot be bound.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.middlewares.add(RequestLogMiddleware(logger: logger))
        router.middlewares.add(SecurityHeadersMiddleware())
        let token = self.token.flatMap { $0.isEmpty ? nil : $0 }
        if let token { router.middlewares.add(TokenMiddleware(token: token)) }
        router.middlewares.add(MLflowNotFoundMiddleware())
        if store.indexIsDatabase { router.middlewares.add(IndexWriteMiddleware(store: store, logger: logger)) }
        router.get("health") { _, _ in "OK" }
        let writers = RunWriters(store: store)
        let experiments = MLflowExperimentRoutes(store: store)
        let runs = MLflowRunRoutes(store: store, writers: writers)
        let search = MLflowRunSearchRoutes(store: store)
        let metrics = MLflowMetricRoutes(store: store, writers: writers)
        for prefix in ["api/2.0/mlflow", "ajax-api/2.0/mlflow"] {
            let group = router.group(RouterPath(prefix))
            experiments.add(to: group)
            runs.add(to: group)
            search.add(to: group)
            metrics.add(to: group)
        }
        MLflowServiceRoutes.add(to: router)
        MLflowArtifactRoutes(store: store, writers: writers).add(to: router)
        CairnAPIRoutes(store: store).add(to: router)
        WebUIRoutes(files: ui, token: token).add(to: router)
        let port = self.port
        // The index brought up to date while the server starts, so the first listing (the web UI's runs
        // table) does not pay for indexing a large store, then swept for hand edits every 10 s in the
        // background, so that no request pays for it either.
        let store = self.store
        let sweeping = Task.detached(priority: .utility) { await store.sweepIndexPeriodically() }
        defer { sweeping.cancel() }
        let app = Application(router: router, server: .http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()])),
                              configuration: .init(address: .hostname(host, port: port), serverName: "cairn"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        try await app.runService()
        // Every request writes its points before it is answered; this is for points a logger still holds.
        try writers.flushAll()
    }
}
