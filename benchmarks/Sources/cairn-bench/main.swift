// Fills a store with many runs through the library, for benchmarks/latest.sh.
#if canImport(Glibc)
import Glibc
#endif
// Usage: cairn-bench populate STORE EXPERIMENTS RUNS_PER_EXPERIMENT
import CairnCore
import CairnKit

let args = CommandLine.arguments
guard args.count == 5, args[1] == "populate", let experiments = Int(args[3]), let perExperiment = Int(args[4]) else {
    print("usage: cairn-bench populate STORE EXPERIMENTS RUNS_PER_EXPERIMENT")
    exit(2)
}
do {
    let store = try (try? Store.open(at: args[2])) ?? Store.initialize(at: args[2])
    for e in 0..<experiments {
        let name = try ExperimentName("bench/exp\(e)")
        for _ in 0..<perExperiment {
            _ = try store.createRun(RunRequest(experiment: name, captureGit: false))
        }
    }
} catch {
    print("cairn-bench: \(error)")
    exit(1)
}
