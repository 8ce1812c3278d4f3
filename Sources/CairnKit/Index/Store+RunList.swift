import CairnCore
import CairnIndex
import Glibc

extension Store {
    /// The runs a search selects, as `run ls` prints them: each run's answer with its liveness and the
    /// values of `columns` (by the column's text; `null` where a run lacks it).
    /// - Parameters:
    ///   - query: the search.
    ///   - columns: fields whose values to add, as the user wrote them and as read.
    /// - Returns: the runs, in the query's order.
    /// - Throws: `CairnError` when the index and the files cannot be read.
    public func listRuns(_ query: RunQuery, columns: [(name: String, field: FilterField)] = []) async throws(CairnError) -> [CairnAPI.Run] {
        var query = query
        query.parts = RunQuery.Parts(for: columns.map(\.field))  // only what the columns show is read back
        return try await searchRuns(query).runs.map { indexed in
            let facts = indexed.facts
            let run = Run(record: facts.record, folder: facts.folder, absoluteFolder: absolute(facts.folder))
            var answer = CairnAPI.Run(run, liveness: liveness(of: facts.record))
            if !columns.isEmpty {
                var values: [String: ConfigValue] = [:]
                for column in columns {
                    switch facts.value(of: column.field) {
                    case .number(let number)?:
                        values[column.name] = number == number.rounded() && abs(number) < 1e15 && column.field.isTime
                            ? .int(Int64(number)) : .float(number)
                    case .text(let text)?: values[column.name] = .string(text)
                    case nil: values[column.name] = .null
                    }
                }
                answer.columns = values
            }
            return answer
        }
    }

    /// The experiments whose names match `pattern`: a name, or a shell pattern (`vae/*`, `gan-?`).
    /// - Throws: `CairnError` of kind `not-found` when a plain name names no experiment, or no
    ///   experiment matches a pattern.
    public func experiments(matching pattern: String) throws(CairnError) -> [ExperimentRecord] {
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            return [try experiment(named: try ExperimentName(pattern))]
        }
        let matching = try experiments().filter { fnmatch(pattern, $0.name.description, 0) == 0 }
        if matching.isEmpty {
            throw CairnError(.notFound, "no experiment matches '\(pattern)'", hint: "'cairn exp ls' lists the experiments")
        }
        return matching
    }
}

extension FilterField {
    /// True for the start and end times and the duration, whose values are whole milliseconds.
    var isTime: Bool {
        if case .attribute(let attribute) = self { return attribute.isNumeric }
        return false
    }
}
