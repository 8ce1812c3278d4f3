import CairnCore
import CairnKit
import Synchronization

/// The stores a command opened, whose index gets what the command changed once it ends
/// (`Store.flushIndexChanges`): one place, so that no write command can forget it.
enum OpenedStores {
    private static let stores = Mutex<[Store]>([])

    /// Remembers `store` and returns it.
    @discardableResult
    static func add(_ store: Store) -> Store {
        stores.withLock { $0.append(store) }
        return store
    }

    /// Brings each opened store's index up to date with what this process changed. The index is a
    /// cache: a failure is a warning, never the command's failure.
    /// ``flush()``, the calling (main) thread waiting for it.
    static func flushWaiting() {
        // Most commands change nothing: they start no task at all.
        guard stores.withLock({ $0.contains { $0.hasIndexChanges } }) else { return }
        try? AsyncBridge.wait { await flush() }  // flush() reports its own failures as warnings.
    }

    static func flush() async {
        for store in stores.withLock({ $0 }) {
            do {
                try await store.flushIndexChanges()
            } catch {
                Terminal.warning("the index could not be updated (\(error.message)); the next search reads the changed runs again")
            }
        }
    }
}
