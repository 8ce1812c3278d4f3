import CairnCore
import CairnIndex

extension Store {
    /// Runs side by side (`cairn compare`), from the index brought up to date: the params that differ,
    /// each metric's last, min and max, each run's best checkpoint, status and duration.
    /// - Parameter runs: the runs, in the order to show them (at least one).
    /// - Returns: the comparison.
    /// - Throws: `CairnError` when the index and the runs' files cannot be read.
    public func compare(_ runs: [Run]) async throws(CairnError) -> CairnAPI.Comparison {
        let ids = runs.map(\.id)
        var facts: [RunFacts]
        do {
            facts = try await searchRuns(RunQuery(filter: RunFilter(conditions: [
                FilterCondition(field: .attribute(.runID), op: .in, values: ids.map { .string($0.value) })]))).runs.map(\.facts)
        } catch where error.kind == .permissionDenied {
            facts = try readRuns(runs.map(\.location)).runs.map(\.facts)
        }
        let byID = Dictionary(facts.map { ($0.record.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = try ids.map { id throws(CairnError) -> RunFacts in
            guard let found = byID[id] else {
                throw CairnError(.notFound, "the folder of run \(id) is gone (deleted outside Cairn)", hint: "'cairn run ls' lists the runs")
            }
            return found
        }
        let compared = ordered.map { run in
            CairnAPI.Comparison.ComparedRun(
                id: run.record.id, name: run.record.name, experiment: run.record.experiment, status: run.record.status,
                durationSeconds: run.record.durationSeconds,
                bestCheckpoint: run.bestCheckpoint.map { .init(path: $0.path, step: $0.step, epoch: $0.epoch, metrics: $0.metrics) })
        }
        let keys = Set(ordered.flatMap(\.params.keys)).sorted()
        var params: [CairnAPI.Comparison.ValuesRow] = []
        var same = 0
        for key in keys {
            let values = ordered.map { $0.params[key] }
            if values.allSatisfy({ $0 != nil && $0 == values[0] }) { same += 1 } else { params.append(.init(key: key, values: values)) }
        }
        let names = Set(ordered.flatMap(\.metrics.keys)).sorted()
        let metrics = names.map { name in
            CairnAPI.Comparison.MetricRow(name: name, values: ordered.map { run in
                run.metrics[name].map { summary in
                    CairnAPI.MetricSummary(summary, split: name == summary.key ? MetricName.defaultSplit : String(name.dropLast(summary.key.count + 1)))
                }
            })
        }
        return CairnAPI.Comparison(runs: compared, params: params, sameParams: same, metrics: metrics)
    }
}
