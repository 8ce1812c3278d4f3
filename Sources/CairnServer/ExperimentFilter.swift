import CairnCore

/// The filter of MLflow's experiment search, for the attribute experiments have here: conditions on
/// the name (`name`, `attribute.name` or `attributes.name`) with `=`, `!=`, `LIKE` or `ILIKE` and a
/// quoted string, joined by `AND`. Anything else is refused with the column where reading stopped.
struct ExperimentFilter {
    private var conditions: [(op: String, value: String)] = []

    init(parsing text: String) throws(MLflowError) {
        var rest = Substring(text)
        func skipSpace() { rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" } }
        func fail(_ expected: String) -> MLflowError {
            MLflowError(.invalidParameterValue, "invalid experiment filter '\(text)' at column \(text.count - rest.count + 1): expected \(expected)")
        }
        skipSpace()
        while !rest.isEmpty {
            let word = rest.prefix { !" \t\n=!<>".contains($0) }
            guard ["name", "attribute.name", "attributes.name"].contains(word.lowercased()) else {
                throw fail("the attribute 'name' (experiments are filtered by name here)")
            }
            rest = rest.dropFirst(word.count)
            skipSpace()
            let op: String
            if rest.hasPrefix("!=") { op = "!=" } else if rest.hasPrefix("=") { op = "=" } else {
                let keyword = rest.prefix { $0.isLetter }.uppercased()
                guard keyword == "LIKE" || keyword == "ILIKE" else { throw fail("=, !=, LIKE or ILIKE") }
                op = keyword
            }
            rest = rest.dropFirst(op.count)
            skipSpace()
            guard let quote = rest.first, quote == "'" || quote == "\"" else { throw fail("a quoted string") }
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { throw fail("the closing \(quote)") }
            conditions.append((op, String(rest[..<end])))
            rest = rest[rest.index(after: end)...]
            skipSpace()
            if rest.isEmpty { break }
            guard rest.prefix(3).uppercased() == "AND" else { throw fail("AND or the end of the filter") }
            rest = rest.dropFirst(3)
            skipSpace()
            if rest.isEmpty { throw fail("a condition after AND") }
        }
    }

    func matches(_ name: String) -> Bool {
        conditions.allSatisfy { condition in
            switch condition.op {
            case "=": name == condition.value
            case "!=": name != condition.value
            default: LikePattern(condition.value, foldingCase: condition.op == "ILIKE").matches(name)
            }
        }
    }
}
