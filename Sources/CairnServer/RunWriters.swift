import CairnCore
import CairnKit
import Synchronization

/// The runs the server writes to, each with its metric logger, kept from one request to the next (a
/// run's folder never moves while the server runs). Every request's points are written before it is
/// answered; ``flushAll()`` is for shutdown.
final class RunWriters: Sendable {
    let store: Store
    private let loggers = Mutex<[RunID: MetricLogger]>([:])
    /// Which of the runs known here are deleted (softly), as this server last saw or set it.
    private let deleted = Mutex<[RunID: Bool]>([:])

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

    /// The run, refused as MLflow refuses writes to a deleted run.
    func activeRun(_ text: String?) throws(MLflowError) -> Run {
        try activeLogger(text).run
    }

    /// The run's metric logger, refused as MLflow refuses writes to a deleted run.
    func activeLogger(_ text: String?) throws(MLflowError) -> MetricLogger {
        let logger = try logger(text)
        if isDeleted(logger.run) {
            throw MLflowError(.invalidParameterValue, "The run \(logger.run.id) must be in the 'active' state. Current state is deleted.")
        }
        return logger
    }

    /// Whether the run is deleted, as this server last saw or set it.
    func isDeleted(_ run: Run) -> Bool {
        deleted.withLock { $0[run.id] } ?? (run.deletedAt != nil)
    }

    /// Records a deletion or restoration made here.
    func setDeleted(_ isDeleted: Bool, _ id: RunID) {
        deleted.withLock { $0[id] = isDeleted }
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
