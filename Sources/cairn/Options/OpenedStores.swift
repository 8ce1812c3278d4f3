import CairnCore
import CairnKit
import Synchronization

/// The stores a command opened, whose index is told which runs the command changed once it ends
/// (`Store.writeChangesToIndex` or `Store.flushIndexChanges`): one place, so that no write command can forget it.
enum OpenedStores {
    private static let stores = Mutex<[Store]>([])

    /// Remembers `store` and returns it.
    @discardableResult
    static func add(_ store: Store) -> Store {
        stores.withLock { $0.append(store) }
        return store
    }

    /// Tells each opened store's index the runs this process changed: written into it now when it is
    /// a database (what a training host's `cairn exec` and `ckpt save` do, so that every server sharing
    /// it answers with them at once), else, or while the database cannot be reached, noted for the
    /// next update (the next search takes them in). The index is a cache: a failure is a warning,
    /// never the command's failure.
    static func noteChanges() {
        for store in stores.withLock({ $0 }) {
            if store.indexIsDatabase, store.hasIndexChanges {
                let count = store.indexChangeCount
                let written: Void? = try? AsyncBridge.wait { () async throws(CairnError) in try await store.writeChangesToIndex(through: count) }
                if written != nil { continue }  // Else the changes were kept: noted below.
            }
            do {
                try store.flushIndexChanges()
            } catch {
                Terminal.warning("the index could not be told of this command's changes (\(error.message)); the next search finds them within \(Store.sweepInterval / 1000) s")
            }
        }
    }
}
