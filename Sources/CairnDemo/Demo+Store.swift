import CairnCore
import CairnKit
import Logging

extension Demo {
    /// Opens the store at `directory`, or creates one there if the folder is not a store yet (or does
    /// not exist). A folder whose `cairn.yaml` cannot be read is an error, never replaced by a new store.
    /// - Parameters:
    ///   - directory: the store's root, absolute or relative to the current directory.
    ///   - logger: where the store reports the faults it survives; nothing by default.
    /// - Returns: the store, and whether this call created it.
    /// - Throws: `CairnError` from `Store.open(at:logger:clock:)` when `cairn.yaml` is there but damaged
    ///   or of a newer format, or from `Store.initialize(at:layoutName:logger:clock:)` when the folder
    ///   cannot be created or written.
    public static func prepareStore(at directory: String, logger: Logger = Store.discardingLogger) throws(CairnError) -> (store: Store, created: Bool) {
        do {
            return (try Store.open(at: directory, logger: logger), false)
        } catch {
            guard error.kind == .storeNotFound else { throw error }
        }
        do {
            return (try Store.initialize(at: directory, logger: logger), true)
        } catch {
            // Another process created it in the meantime: use theirs.
            guard error.kind == .alreadyExists else { throw error }
            return (try Store.open(at: directory, logger: logger), false)
        }
    }
}
