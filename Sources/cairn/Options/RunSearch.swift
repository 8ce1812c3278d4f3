import Foundation
import CairnCore
import CairnIndex
import CairnKit

/// What `run ls` selects and shows, as plain values: reached through ArgumentParser
/// (``RunSearchOptions``) or without it (``QuickCommand``).
struct RunSearch: Sendable {
    var experiment: String?
    var filter: String?
    var orderBy: [String] = []
    var status: RunStatus?
    var limit: Int?
    var columns: String?

    /// True when `experiment` names one experiment rather than a pattern.
    var namesOneExperiment: Bool { experiment.map { !$0.contains(where: { "*?[".contains($0) }) } ?? false }

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
