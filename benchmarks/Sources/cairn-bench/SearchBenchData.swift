#if canImport(Glibc)
import Glibc
#endif
import CairnCore
import CairnIndex
import CairnKit

/// The runs of the search benchmark, by formulas that benchmarks/search.py repeats for MLflow: run i of
/// experiment `vae/exp(i % 20)`, params and metric values from integer arithmetic only, so both sides
/// hold the same numbers.
enum SearchBenchData {
    static let learningRates = ["0.0001", "0.0003", "0.001", "0.003", "0.01"]
    static let optimizers = ["adam", "sgd", "adamw"]
    static let trainKeys = ["loss", "acc", "lr_now", "grad_norm", "time"]
    static let evalKeys = ["loss", "acc", "f1", "auc", "ppl"]

    /// Metric m's value at step s of run i.
    static func value(run i: Int, metric m: Int, step s: Int) -> Double {
        Double((i * 7919 + m * 104_729 + s * 31) % 10_007) / 10_007
    }

    /// Run i's params, as text.
    static func params(run i: Int) -> [(String, ConfigValue)] {
        var params: [(String, ConfigValue)] = [
            ("lr", .float(Double(learningRates[i % 5])!)), ("batch", .int(Int64(16 << (i % 4)))),
            ("layers", .int(Int64(i % 8 + 1))), ("optimizer", .string(optimizers[i % 3])),
        ]
        for j in 4..<20 { params.append(("p\(j)", .int(Int64((i * j) % 97)))) }
        return params
    }

    static func populate(_ store: Store, runs: Range<Int>) throws {
        for i in runs {
            let config = ConfigValue.mapping(ConfigMapping([("training", .mapping(ConfigMapping(params(run: i))))]))
            let run = try store.createRun(RunRequest(experiment: try ExperimentName("vae/exp\(i % 20)"), config: config, captureGit: false))
            let logger = MetricLogger(store: store, run: run)
            for step in 0..<100 {
                for (m, key) in trainKeys.enumerated() {
                    try logger.log(key, value(run: i, metric: m, step: step), step: Int64(step), split: "train")
                }
                for (m, key) in evalKeys.enumerated() {
                    try logger.log(key, value(run: i, metric: m + 5, step: step), step: Int64(step), split: "eval")
                }
            }
            try logger.close()
            try store.endRun(run, status: .finished)
        }
    }

    static func timeSearch(_ store: Store, filter: String, order: String, limit: Int, repeats: Int) async throws -> Double {
        let query = RunQuery(filter: try RunFilter(parsing: filter), orderings: [try RunOrdering(parsing: order)], limit: limit)
        _ = try await store.searchRuns(query)
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            let page = try await store.searchRuns(query)
            let elapsed = ContinuousClock.now - start
            precondition(!page.runs.isEmpty)
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return times.sorted()[times.count / 2]
    }
}
