import ArgumentParser
import Foundation
import CairnCore
import CairnIndex
import CairnKit

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

    /// The search, read against `store`.
    /// - Throws: `CairnError` for a filter, ordering or column that cannot be read (naming the column
    ///   of the text where reading failed), or an experiment or pattern that names nothing.
    func query(_ store: Store) throws(CairnError) -> RunQuery {
        var filter = RunFilter()
        if let text = self.filter {
            do { filter = try RunFilter(parsing: text) } catch { throw CairnError(error, in: text) }
        }
        if let status { filter.conditions.append(FilterCondition(field: .attribute(.status), op: .equal, values: [.string(status.rawValue)])) }
        var orderings: [RunOrdering] = []
        for text in orderBy {
            do { orderings.append(try RunOrdering(parsing: text)) } catch { throw CairnError(error, in: text, what: "ordering") }
        }
        if orderings.isEmpty { orderings = [RunOrdering(.attribute(.startTime)), RunOrdering(.attribute(.runID))] }
        let experiments = try experiment.map { pattern throws(CairnError) in try store.experiments(matching: pattern).map(\.id) }
        return RunQuery(experiments: experiments, filter: filter, orderings: orderings, limit: limit)
    }

    /// The columns asked for, each as written and as read.
    func columnFields() throws(CairnError) -> [(name: String, field: FilterField)] {
        guard let columns else { return [] }
        var fields: [(name: String, field: FilterField)] = []
        for name in ColumnList.split(columns) {
            do { fields.append((name, try RunOrdering(parsing: name).field)) } catch { throw CairnError(error, in: name, what: "column") }
        }
        return fields
    }
}

extension RunStatus: ExpressibleByArgument {
    public static var defaultCompletionKind: CompletionKind { .list(allCases.map(\.rawValue)) }
}

/// A comma-separated list of fields, where a comma inside backquotes or quotes is part of a key.
enum ColumnList {
    static func split(_ text: String) -> [String] {
        var parts: [String] = [], current = "", quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "`" || character == "\"" {
                quote = character
            } else if character == "," {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts.filter { !$0.isEmpty }
    }
}
