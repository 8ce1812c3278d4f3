import CairnCore
import CairnKit
import Synchronization

/// The runs the server writes to, each with its metric logger, kept from one request to the next (a
/// run's folder never moves while the server runs). Every request's points are written before it is
/// answered; ``flushAll()`` is for shutdown.
final class RunWriters: Sendable {
    let store: Store
    private let loggers = Mutex<[RunID: MetricLogger]>([:])

    init(store: Store) { self.store = store }

    /// The run with this id, as MLflow names runs; an unknown or malformed id is MLflow's
    /// `RESOURCE_DOES_NOT_EXIST`.
    func run(_ text: String?) throws(MLflowError) -> Run {
        try logger(text).run
    }

    /// The metric logger of the run with this id.
    func logger(_ text: String?) throws(MLflowError) -> MetricLogger {
        let text = try MLflowExperimentRoutes.required(text, "run_id")
        guard let id = try? RunID(text) else { throw MLflowError(.resourceDoesNotExist, "Run with id=\(text) not found") }
        if let known = loggers.withLock({ $0[id] }) { return known }
        let run: Run
        do {
            run = try store.run(id: id)
        } catch where error.kind == .notFound {
            throw MLflowError(.resourceDoesNotExist, "Run with id=\(text) not found")
        } catch {
            throw MLflowError(error)
        }
        let logger = MetricLogger(store: store, run: run)
        return loggers.withLock { table in
            if let raced = table[id] { return raced }
            table[id] = logger
            return logger
        }
    }

    /// Reads the run again from its files (after its status changed).
    func fresh(_ run: Run) throws(MLflowError) -> Run {
        try library { () throws(CairnError) in try store.run(id: run.id) }
    }

    /// Writes whatever any logger still buffers (none should: each request flushes its own points).
    func flushAll() throws(CairnError) {
        for logger in loggers.withLock({ Array($0.values) }) { try logger.flush() }
    }
}
