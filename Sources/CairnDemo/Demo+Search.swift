import CairnCore
import CairnIndex
import CairnKit

extension Demo {
    /// The search the demo shows: the demo's finished runs whose eval accuracy passed 50%, ranked by
    /// their best checkpoint's validation loss, as `cairn run ls --filter … --order-by …` finds them.
    public static let searchFilter = "metrics.`eval/accuracy` > 0.5 and status = 'FINISHED'"
    /// The ordering of ``searchFilter``'s runs.
    public static let searchOrdering = "checkpoints.best.val_loss"

    /// The demo's runs as the store's index finds them with ``searchFilter`` and ``searchOrdering``,
    /// best first: each run's id, hidden units, learning rate and best validation loss.
    /// - Parameter store: the demo's store.
    /// - Returns: the runs found, in order.
    /// - Throws: `CairnError` when the index and the files cannot be read.
    public static func search(in store: Store) async throws(CairnError) -> [CairnAPI.Run] {
        let experiment = try store.experiment(named: try ExperimentName(experimentName))
        let query = RunQuery(experiments: [experiment.id], filter: try filter(searchFilter),
                             orderings: [try ordering(searchOrdering)])
        return try await store.listRuns(query, columns: [("params.model.hidden", .param("model.hidden")),
                                                         ("params.training.lr", .param("training.lr")),
                                                         (searchOrdering, .checkpointMetric(.best, "val_loss"))])
    }

    private static func filter(_ text: String) throws(CairnError) -> RunFilter {
        do { return try RunFilter(parsing: text) } catch { throw CairnError(error, in: text) }
    }

    private static func ordering(_ text: String) throws(CairnError) -> RunOrdering {
        do { return try RunOrdering(parsing: text) } catch { throw CairnError(error, in: text, what: "ordering") }
    }
}
