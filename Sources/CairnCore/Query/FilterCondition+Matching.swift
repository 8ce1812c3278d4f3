extension FilterCondition {
    /// True when `run` meets this condition (see ``RunFilter`` for the rules).
    public func matches(_ run: RunFacts) -> Bool {
        guard let found = run.value(of: field) else { return false }
        switch found {
        case .number(let number):
            guard let wanted = value.numericValue else { return false }
            return op.holds(number, wanted)
        case .text(let text):
            if comparesNumerically {
                guard let number = RunFacts.number(text), let wanted = value.numericValue else { return false }
                return op.holds(number, wanted)
            }
            return matchesText(text)
        }
    }

    /// Text comparisons compare bytes (UTF-8), as the index's SQL does; ILIKE folds ASCII letters only.
    private func matchesText(_ text: String) -> Bool {
        switch op {
        case .equal: return text.utf8.elementsEqual(value.text.utf8)
        case .notEqual: return !text.utf8.elementsEqual(value.text.utf8)
        case .like: return LikePattern(value.text, foldingCase: false).matches(text)
        case .ilike: return LikePattern(value.text, foldingCase: true).matches(text)
        case .in: return values.contains { $0.text.utf8.elementsEqual(text.utf8) }
        case .notIn: return !values.contains { $0.text.utf8.elementsEqual(text.utf8) }
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return false
        }
    }
}
