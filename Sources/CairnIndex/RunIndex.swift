import CairnCore

/// The index of a store's runs: a cache that answers searches without reading every run's files.
///
/// One narrow `async` interface, so that the embedded SQLite index (``SQLiteRunIndex``) and a server
/// database behind it answer the same way. The index never decides what is true: CairnKit reads the
/// files and hands the index what they say (``update(runs:removing:experiments:)``), with a stamp of
/// the files it read, and compares stamps to know what to read again.
public protocol RunIndex: Sendable {
    /// The stamp each indexed run of these experiments (nil: of every experiment) was read with.
    func stamps(in experiments: [ExperimentID]?) async throws(CairnError) -> [RunID: String]

    /// Replaces what the index holds of `runs`, removes `removing`, and records `experiments`, in one
    /// transaction.
    func update(runs: [IndexedRun], removing: [RunID], experiments: [ExperimentRecord]) async throws(CairnError)

    /// The runs `query` selects, in its order, one page of them.
    func search(_ query: RunQuery) async throws(CairnError) -> RunPage

    /// The facts of these runs (those the index holds), in the order given.
    func facts(of ids: [RunID]) async throws(CairnError) -> [RunFacts]

    /// The experiments the index holds, by id.
    func experiments() async throws(CairnError) -> [ExperimentRecord]

    /// A value the store keeps beside its runs (what CairnKit last saw of the store's folders).
    func metadata(_ key: String) async throws(CairnError) -> String?

    /// Sets or (with nil) removes a value of ``metadata(_:)``.
    func setMetadata(_ key: String, _ value: String?) async throws(CairnError)

    /// After a rebuild: folds the journal into the database and refreshes the planner's statistics.
    func optimize() async throws(CairnError)

    /// Forgets everything (before a rebuild).
    func removeAll() async throws(CairnError)
}
