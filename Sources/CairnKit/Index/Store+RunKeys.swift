import CairnCore
import CairnIndex

extension Store {
    /// The keys the runs a query finds have (params, metrics, tags), from the index: at most `limit` runs,
    /// the newest first, are examined.
    /// - Parameters:
    ///   - query: the runs (experiments, filter, lifecycle); its orderings, offset and limit are replaced.
    ///   - limit: how many runs to examine at most.
    /// - Returns: each key with how many runs have it and how many distinct values they hold.
    /// - Throws: `CairnError` when the index and the runs' files cannot be read.
    public func runKeys(_ query: RunQuery, limit: Int = 1000) async throws(CairnError) -> CairnAPI.RunKeys {
        var query = query
        query.parts = [.params, .tags, .metrics]
        query.orderings = [.newestFirst]
        query.offset = 0
        query.limit = limit
        let runs = try await searchRuns(query).runs.map(\.facts)
        var params = KeyTally()
        var metrics = KeyTally()
        var tags = KeyTally()
        for facts in runs {
            for (key, value) in facts.params { params.add(key, value) }
            for (key, value) in facts.tags { tags.add(key, value) }
            for (name, summary) in facts.metrics { metrics.add(name, summary.last.bitPattern.description) }
        }
        return CairnAPI.RunKeys(runs: runs.count, params: params.keys, metrics: metrics.keys, tags: tags.keys)
    }
}

/// Runs and distinct values per key.
private struct KeyTally {
    private var runs: [String: Int] = [:]
    private var values: [String: Set<String>] = [:]

    mutating func add(_ key: String, _ value: String) {
        runs[key, default: 0] += 1
        values[key, default: []].insert(value)
    }

    var keys: [CairnAPI.RunKeys.Key] {
        runs.keys.sorted().map { key in CairnAPI.RunKeys.Key(key: key, runs: runs[key] ?? 0, values: values[key]?.count ?? 0) }
    }
}
