import ArgumentParser
import CairnCore

/// What `run ls` selects and shows: experiments (a name or a pattern), a filter in MLflow's syntax,
/// orderings, a status, a limit, and the columns to add.
struct RunSearchOptions: ParsableArguments {
    @Option(name: [.customShort("e"), .long], help: "Only the runs of this experiment, or of the experiments a pattern matches ('vae/*').",
            completion: ShellCompletion.experiments)
    var experiment: String?
    @Option(name: .long, help: "Only the runs this filter selects, in MLflow's syntax: \"metrics.`eval/loss` < 0.5 and params.lr > 1e-4\".")
    var filter: String?
    @Option(name: .customLong("order-by"), help: "Order by this key, ASC or DESC (\"metrics.loss DESC\"); repeat for more keys. Default: oldest first.")
    var orderBy: [String] = []
    @Option(name: .long, help: "Only the runs with this status (RUNNING, FINISHED, FAILED, KILLED, SCHEDULED).")
    var status: RunStatus?
    @Option(name: .long, help: "At most this many runs.")
    var limit: Int?
    @Option(name: .long, help: "Add these columns, comma-separated: params.lr,metrics.`eval/loss`,tags.team.")
    var columns: String?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
    }

    /// The options as plain values.
    var search: RunSearch {
        RunSearch(experiment: experiment, filter: filter, orderBy: orderBy, status: status, limit: limit, columns: columns)
    }
}

extension RunStatus: ExpressibleByArgument {
    public static var defaultCompletionKind: CompletionKind { .list(allCases.map(\.rawValue)) }
}
