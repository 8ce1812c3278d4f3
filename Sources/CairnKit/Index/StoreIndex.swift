import CairnCore
import CairnIndex
import Synchronization

/// A store's index as one process uses it: opened on first use, with the runs this process changed
/// since it last brought the index up to date (``Store/updateIndex()``).
///
/// Shared by every copy of a ``Store`` value.
final class StoreIndex: Sendable {
    /// The database file.
    let path: String
    private let state = Mutex(State())

    private struct State: Sendable {
        var opened: (any RunIndex)?
        var changed: Set<RunID> = []
        var changeCount: UInt64 = 0
        var warnedJournal = false
        var sweepsInBackground = false
        var database: IndexDatabase?
        var storeID: String?
        var lastWatch: IndexWatch?
    }

    /// The watch as this process's last update of the index left it (nil before one, or after the
    /// index was removed): a search on a database-backed server whose folders still have these stamps
    /// has nothing new to take in (``Store/updateIndexForSearch(stale:)``).
    var lastWatch: IndexWatch? {
        get { state.withLock { $0.lastWatch } }
        set { state.withLock { $0.lastWatch = newValue } }
    }

    /// The PostgreSQL database of the index, nil for the SQLite file at ``path``.
    var database: IndexDatabase? {
        get { state.withLock { $0.database } }
        set { state.withLock { $0.database = newValue; $0.opened = nil } }
    }

    /// The store's id once read or written (`store_id`), for a database index.
    var storeID: String? {
        get { state.withLock { $0.storeID } }
        set { state.withLock { $0.storeID = newValue } }
    }

    /// True when a long-lived process sweeps the runs' stamps on a timer of its own
    /// (``Store/sweepIndexPeriodically()``), so that searches need not.
    var sweepsInBackground: Bool {
        get { state.withLock { $0.sweepsInBackground } }
        set { state.withLock { $0.sweepsInBackground = newValue } }
    }

    init(path: String, database: IndexDatabase?, storeID: String?) {
        self.path = path
        state.withLock {
            $0.database = database
            $0.storeID = storeID
        }
    }

    /// One update of the index at a time in this process (``Store/writeChangesToIndex(through:)``).
    let writeGate = IndexWriteGate()

    /// Notes that this process changed a run's files.
    func mark(_ run: RunID) {
        state.withLock {
            $0.changed.insert(run)
            $0.changeCount += 1
        }
    }

    /// How many changes this process noted so far: a request compares it before and after to know
    /// whether it changed something, and which changes must be in the index before it answers.
    var changeCount: UInt64 {
        state.withLock { $0.changeCount }
    }

    /// True when this process changed something since the index was last updated.
    var hasChanges: Bool {
        state.withLock { !$0.changed.isEmpty }
    }

    /// The changes noted so far, forgotten.
    func takeChanges() -> Set<RunID> {
        takeCountedChanges().runs
    }

    /// The changes noted so far, forgotten, and the ``changeCount`` they go through.
    func takeCountedChanges() -> (runs: Set<RunID>, through: UInt64) {
        state.withLock { state in
            defer { state.changed = [] }
            return (state.changed, state.changeCount)
        }
    }

    /// Puts back changes that could not be applied.
    func restore(_ runs: Set<RunID>) {
        state.withLock { $0.changed.formUnion(runs) }
    }

    /// The opened index, opening it with `open` the first time.
    func index(_ open: () throws(CairnError) -> any RunIndex) throws(CairnError) -> any RunIndex {
        if let opened = state.withLock({ $0.opened }) { return opened }
        let index = try open()
        state.withLock { $0.opened = index }
        return index
    }

    /// Forgets the opened index (after it was moved aside).
    func close() {
        state.withLock { $0.opened = nil }
    }
}
