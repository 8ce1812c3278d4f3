import Logging
import PostgresNIO

/// A small pool of connections to one PostgreSQL server, at most ``limit`` open at once.
///
/// Written for the index's needs rather than using PostgresNIO's `PostgresClient`, whose pool queues
/// requests for up to a minute while the server is unreachable: here a lease connects at once when no
/// idle connection is left and fails at once when the server refuses, so that a command prints its error
/// and a server answers 503 instead of hanging; a connection that failed is closed, and the next lease
/// connects again (the server came back).
actor PostgresConnections {
    private let configuration: PostgresConnection.Configuration
    /// The most connections open at once (`--database-pool`).
    let limit: Int
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0
    /// Tasks waiting for a connection: handed one (or nil: a slot to connect with).
    private var waiting: [CheckedContinuation<PostgresConnection?, Never>] = []

    init(configuration: PostgresConnection.Configuration, limit: Int, logger: Logger) {
        self.configuration = configuration
        self.limit = max(1, limit)
        self.logger = logger
    }

    /// A connection, and whether it was reused (an idle connection may have been closed by a server
    /// that restarted since: the caller may retry once on a new one).
    func lease() async throws -> (connection: PostgresConnection, reused: Bool) {
        while let connection = idle.popLast() {
            if !connection.isClosed { return (connection, true) }
            open -= 1
        }
        if open >= limit {
            if let handed = await withCheckedContinuation({ waiting.append($0) }) { return (handed, true) }
        }
        open += 1
        do {
            nextID += 1
            let connection = try await PostgresConnection.connect(configuration: configuration, id: nextID, logger: logger)
            return (connection, false)
        } catch {
            open -= 1
            wakeOne(with: nil)
            throw error
        }
    }

    /// Gives a connection back; a broken one is closed and its slot freed.
    func release(_ connection: PostgresConnection, broken: Bool) {
        if broken || connection.isClosed {
            open -= 1
            Self.close(connection)
            wakeOne(with: nil)
        } else if !waiting.isEmpty {
            waiting.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Closes every idle connection (at exit).
    func closeAll() async {
        let connections = idle
        idle = []
        open -= connections.count
        for connection in connections { try? await connection.close() }
    }

    deinit {
        for connection in idle { Self.close(connection) }
    }

    /// Closes a connection without waiting, keeping it alive until it is closed (PostgresNIO asserts
    /// that a connection is closed before it goes away).
    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func wakeOne(with connection: PostgresConnection?) {
        if !waiting.isEmpty { waiting.removeFirst().resume(returning: connection) }
    }
}
