import CairnCore
import CairnKit
import Hummingbird
import Logging
import Synchronization

/// With the index in a database that several servers share: a request that changed runs is answered
/// only once the runs are written into the index (``Store/writeChangesToIndex(through:)``), so that
/// what any server acknowledged is found at once by a search on any other.
///
/// While the database cannot be reached, the changes go instead into notes in the store's
/// `.cairn/index.changes/` (shared like the store), taken in by the first update that reaches the
/// database: the request still succeeds, since its data is in the files. A note that cannot be
/// written either is a warning, never the request's failure: the sweep finds the change within
/// ``Store/sweepInterval``.
struct IndexWriteMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let store: Store
    let logger: Logger
    /// True while the database is unreachable, so that the outage is logged once, not per request.
    private let failing = Flag()

    private final class Flag: Sendable {
        private let value = Mutex(false)
        /// Sets the flag; returns what it was.
        func exchange(_ new: Bool) -> Bool { value.withLock { old in defer { old = new }; return old } }
    }

    init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let before = store.indexChangeCount
        do {
            let response = try await next(request, context)
            await write(since: before)
            return response
        } catch {
            await write(since: before)  // A failed request may have written part of its changes.
            throw error
        }
    }

    private func write(since before: UInt64) async {
        let after = store.indexChangeCount
        guard after != before else { return }
        do throws(CairnError) {
            try await store.writeChangesToIndex(through: after)
            if failing.exchange(false) {
                logger.info("the index is reachable again: changes are written to it before requests are answered")
            }
        } catch {
            if !failing.exchange(true) {
                logger.warning("changes could not be written to the index (\(error.message)); they are noted in the store for the next update that reaches it",
                               metadata: ["path": "\(store.root)"])
            }
            note()
        }
    }

    private func note() {
        guard store.hasIndexChanges else { return }
        do {
            try store.flushIndexChanges()
        } catch {
            logger.warning("the index could not be told of a request's changes: \(error.message)", metadata: ["path": "\(store.root)"])
        }
    }
}
