import CairnKit
import Hummingbird
import Logging

/// `cairn serve`: a store over HTTP, speaking MLflow's tracking protocol (every route under both
/// `/api/2.0/mlflow/…` and `/ajax-api/2.0/mlflow/…`), with `GET /health`.
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

    public init(store: Store, host: String, port: Int, logger: Logger) {
        self.store = store
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// Serves until SIGINT or SIGTERM.
    /// - Parameter onRunning: called once the server listens, with its port.
    /// - Throws: when the address cannot be bound.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.middlewares.add(RequestLogMiddleware(logger: logger))
        router.middlewares.add(MLflowNotFoundMiddleware())
        router.get("health") { _, _ in "OK" }
        let experiments = MLflowExperimentRoutes(store: store)
        for prefix in ["api/2.0/mlflow", "ajax-api/2.0/mlflow"] {
            experiments.add(to: router.group(RouterPath(prefix)))
        }
        let port = self.port
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "cairn"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
        try await app.runService()
    }
}
