extension RunOrdering {
    /// `runs` in the order of `orderings`, then newest first, then by run id (MLflow's tie-breakers).
    public static func sorted(_ runs: [RunFacts], by orderings: [RunOrdering]) -> [RunFacts] {
        let keys = orderings + [.newestFirst, RunOrdering(.attribute(.runID))]
        return runs.sorted { a, b in
            for key in keys {
                let order = key.compare(a, b)
                if order != 0 { return order < 0 }
            }
            return false
        }
    }

    /// Negative when `a` comes before `b` by this key alone, positive after, 0 for a tie.
    public func compare(_ a: RunFacts, _ b: RunFacts) -> Int {
        let (left, right) = (SortKey(a, field), SortKey(b, field))
        if left.rank != right.rank { return left.rank < right.rank ? -1 : 1 }  // lacking: last either way
        let order: Int
        switch (left, right) {
        case (.number(let x), .number(let y)): order = x < y ? -1 : x > y ? 1 : 0
        case (.text(let x), .text(let y)): order = Self.compareBytes(x, y)
        default: order = 0
        }
        return descending ? -order : order
    }

    /// Text orders by its UTF-8 bytes, as SQL's binary collation does.
    static func compareBytes(_ x: String, _ y: String) -> Int {
        var left = x.utf8.makeIterator(), right = y.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (p?, q?) where p != q: return p < q ? -1 : 1
            default: continue
            }
        }
    }

    /// A run's value for ordering: numbers (rank 0) before texts (rank 1) before nothing (rank 2).
    private enum SortKey {
        case number(Double)
        case text(String)
        case missing

        init(_ run: RunFacts, _ field: FilterField) {
            switch run.value(of: field) {
            case .number(let value)?: self = .number(value)
            case .text(let text)?:
                if case .param = field, let number = RunFacts.number(text) {
                    self = .number(number)
                } else {
                    self = .text(text)
                }
            case nil: self = .missing
            }
        }

        var rank: Int {
            switch self {
            case .number: 0
            case .text: 1
            case .missing: 2
            }
        }
    }
}
