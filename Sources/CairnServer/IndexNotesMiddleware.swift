import CairnCore
import CairnKit
import Hummingbird
import Logging

/// With the index in a database that several servers share: before a request that changed runs is
/// answered, their notes go into the store's `.cairn/index.changes/` (shared like the store), so that a
/// search on any server takes them in before it answers. A note that cannot be written is a warning,
/// never the request's failure: its data is in the files, and the sweep finds the change within
/// ``Store/sweepInterval``.
struct IndexNotesMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let store: Store
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            note()
            return response
        } catch {
            note()  // A failed request may have written part of its changes.
            throw error
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
