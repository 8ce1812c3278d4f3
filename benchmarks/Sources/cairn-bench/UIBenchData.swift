import CairnCore
import CairnKit

/// The web UI benchmark's stores, by formulas that benchmarks/ui.py repeats for MLflow: a table
/// experiment of many small finished runs and a chart experiment of a few runs with one long `loss`.
enum UIBenchData {
    static let learningRates = ["0.0001", "0.0003", "0.001", "0.003", "0.01"]
    static let optimizers = ["adam", "sgd", "adamw"]
    /// Steps logged per metric in each run of the table experiment.
    static let tableSteps = 10

    /// Points are stamped from this time on, 10 ms a step (the MLflow side: the same in milliseconds).
    static let baseSeconds = 1_780_000_000

    static func time(step: Int) -> Double { Double(baseSeconds) + Double(step) / 100 }

    /// A value in [0, 1) from integers only, so that Swift and Python compute the same double.
    static func noise(_ a: Int, _ b: Int, _ c: Int) -> Double {
        Double((a * 7919 + b * 104_729 + c * 31) % 10_007) / 10_007
    }

    /// `loss` of chart run `run` at `step`: a decaying curve with noise.
    static func chartLoss(run: Int, step: Int) -> Double {
        1.0 / (1.0 + Double(step) / 1000.0) + 0.05 * noise(run, 0, step) + 0.01 * Double(run)
    }

    /// `runs` finished runs in experiment `experiment`, each with the params lr, batch, optimizer and
    /// seed, `loss` (train) and `acc` (eval) over ``tableSteps`` steps.
    static func populateTable(_ store: Store, experiment: String, runs: Range<Int>) throws {
        let name = try ExperimentName(experiment)
        for i in runs {
            let params: [(String, ConfigValue)] = [
                ("lr", .float(Double(learningRates[i % 5])!)), ("batch", .int(Int64(16 << (i % 4)))),
                ("optimizer", .string(optimizers[i % 3])), ("seed", .int(Int64(i))),
            ]
            let run = try store.createRun(RunRequest(experiment: name, name: "run-\(i)",
                                                     config: .mapping(ConfigMapping(params)), captureGit: false))
            let logger = MetricLogger(store: store, run: run)
            try logger.log((0..<tableSteps).map { MetricPoint(key: "loss", value: noise(i, 0, $0), step: Int64($0), time: time(step: $0)) })
            try logger.log((0..<tableSteps).map { MetricPoint(key: "acc", value: noise(i, 1, $0), step: Int64($0), time: time(step: $0)) },
                           split: "eval")
            try logger.close()
            try store.endRun(run, status: .finished)
        }
    }

    /// `runs` finished runs in experiment `experiment`, each logging `loss` (train) at steps
    /// 0..<`steps`; prints each run's id.
    static func populateChart(_ store: Store, experiment: String, runs: Int, steps: Int) throws -> [String] {
        let name = try ExperimentName(experiment)
        var ids: [String] = []
        for r in 0..<runs {
            let run = try store.createRun(RunRequest(experiment: name, name: "chart-\(r)", captureGit: false))
            let logger = MetricLogger(store: store, run: run)
            for start in stride(from: 0, to: steps, by: 10_000) {
                try logger.log((start..<min(steps, start + 10_000)).map {
                    MetricPoint(key: "loss", value: chartLoss(run: r, step: $0), step: Int64($0), time: time(step: $0))
                })
            }
            try logger.close()
            try store.endRun(run, status: .finished)
            ids.append(run.id.description)
        }
        return ids
    }
}
