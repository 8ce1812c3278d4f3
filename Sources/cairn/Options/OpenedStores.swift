import CairnCore
import CairnKit
import Synchronization

/// The stores a command opened, whose index is told which runs the command changed once it ends
/// (`Store.flushIndexChanges`): one place, so that no write command can forget it.
enum OpenedStores {
    private static let stores = Mutex<[Store]>([])

    /// Remembers `store` and returns it.
    @discardableResult
    static func add(_ store: Store) -> Store {
        stores.withLock { $0.append(store) }
        return store
    }

    /// Notes for each opened store's index the runs this process changed (the next search takes them
    /// in). The index is a cache: a failure is a warning, never the command's failure.
    static func noteChanges() {
        for store in stores.withLock({ $0 }) {
            do {
                try store.flushIndexChanges()
            } catch {
                Terminal.warning("the index could not be told of this command's changes (\(error.message)); the next search finds them within \(Store.sweepInterval / 1000) s")
            }
        }
    }
}
