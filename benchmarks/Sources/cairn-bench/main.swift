// Helpers for benchmarks and stress tests; not part of the cairn CLI.
//
//   cairn-bench populate STORE EXPERIMENTS RUNS_PER_EXPERIMENT
//       fills a store with runs through the library (benchmarks/latest.py).
//   cairn-bench save-loop STORE RUN BYTES TOP_K [EPOCHS]
//       saves checkpoints of BYTES random bytes in a loop under a top-k policy on val_loss, printing
//       each saved epoch; the crash tests kill it with SIGKILL at random moments.
//   cairn-bench background-save STORE BYTES
//       writes BYTES (a random MiB repeated) into a new run's folder, then saves it in the background by
//       move; prints the seconds from the end of the write to the hand-over and to durable (close()):
//       the Swift library's own figures beside the Python client's (benchmarks/python_client.py).
//   cairn-bench populate-search STORE RUNS [FIRST]
//       RUNS finished runs (numbered from FIRST) over 20 experiments `vae/expN`, each with 20 params and
//       10 metrics (5 train, 5 eval) of 100 steps, values by SearchBenchData's formulas, which
//       benchmarks/search.py repeats for MLflow (benchmarks/search.py).
//   cairn-bench search STORE FILTER ORDER LIMIT REPEAT
//       the library's search, in-process and warm: prints the median seconds of REPEAT searches.
//   cairn-bench populate-ui STORE TABLE_RUNS CHART_RUNS CHART_STEPS
//       TABLE_RUNS finished runs in experiment `ui/runs` (4 params, `loss` and eval `acc` of 10 steps)
//       and CHART_RUNS runs in `ui/chart` logging `loss` at CHART_STEPS steps, values by UIBenchData's
//       formulas, which benchmarks/ui.py repeats for MLflow; prints the chart runs' ids as JSON.
#if canImport(Glibc)
import Glibc
#endif
import CairnCore
import CairnKit

let args = CommandLine.arguments

func fail(_ message: String) -> Never {
    print("cairn-bench: \(message)")
    exit(1)
}

do {
    switch args.count > 1 ? args[1] : "" {
    case "populate":
        guard args.count == 5, let experiments = Int(args[3]), let perExperiment = Int(args[4]) else {
            fail("usage: cairn-bench populate STORE EXPERIMENTS RUNS_PER_EXPERIMENT")
        }
        let store = try (try? Store.open(at: args[2])) ?? Store.initialize(at: args[2])
        for e in 0..<experiments {
            let name = try ExperimentName("bench/exp\(e)")
            for _ in 0..<perExperiment {
                _ = try store.createRun(RunRequest(experiment: name, captureGit: false))
            }
        }
    case "save-loop":
        guard args.count >= 6, let bytes = Int(args[4]), let topK = Int(args[5]) else {
            fail("usage: cairn-bench save-loop STORE RUN BYTES TOP_K [EPOCHS]")
        }
        let epochs = args.count > 6 ? Int(args[6]) ?? 1_000_000 : 1_000_000
        let store = try Store.open(at: args[2])
        let checkpoints = try RunCheckpoints.open(store: store, run: try store.run(.text(args[3])))
        var rng = SystemRandomNumberGenerator()
        let first = (try checkpoints.view().state.entries.compactMap(\.epoch).max() ?? 0) + 1
        var epoch = first
        while epoch < first + epochs {
            var data = [UInt8](repeating: 0, count: bytes)
            for i in stride(from: 0, to: bytes, by: 8) {
                var word = rng.next()
                for j in 0..<min(8, bytes - i) { data[i + j] = UInt8(truncatingIfNeeded: word); word >>= 8 }
            }
            let loss = Double(rng.next() % 10_000) / 10_000
            let payload = data
            let request = CheckpointSaveRequest(
                epoch: epoch, step: epoch * 10, metrics: ["val_loss": loss],
                source: .writer(folder: false, fileExtension: ".pt", write: { path in
                    guard let file = fopen(path, "wb") else { throw CairnError(.io, "cannot open \(path)") }
                    defer { fclose(file) }
                    _ = payload.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
                }),
                policy: CheckpointPolicy(monitor: "val_loss", mode: .min, topK: topK))
            try checkpoints.save(request)
            print("saved \(epoch)")
            fflush(nil)
            epoch += 1
        }
    case "background-save":
        guard args.count == 4, let bytes = Int(args[3]) else { fail("usage: cairn-bench background-save STORE BYTES") }
        let store = try Store.open(at: args[2])
        let run = try store.createRun(RunRequest(experiment: try ExperimentName("bench/swift-save"), captureGit: false))
        let checkpoints = try RunCheckpoints.open(store: store, run: run)
        var rng = SystemRandomNumberGenerator()
        var block = [UInt8](repeating: 0, count: 1 << 20)
        for i in block.indices { block[i] = UInt8(truncatingIfNeeded: rng.next()) }
        let path = run.absoluteFolder + "/written.pt"
        guard let file = fopen(path, "wb") else { fail("cannot open \(path)") }
        for _ in 0..<(bytes >> 20) { _ = block.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) } }
        fclose(file)
        func seconds() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }
        let written = seconds()
        try checkpoints.saveInBackground(CheckpointSaveRequest(epoch: 1, source: .files([path], .move)))
        let handed = seconds()
        try checkpoints.close()
        print(handed - written, seconds() - written)
    case "populate-search":
        guard args.count >= 4, let runs = Int(args[3]) else { fail("usage: cairn-bench populate-search STORE RUNS [FIRST]") }
        let first = args.count > 4 ? Int(args[4]) ?? 0 : 0
        let store = try (try? Store.open(at: args[2])) ?? Store.initialize(at: args[2])
        try SearchBenchData.populate(store, runs: first..<(first + runs))
    case "search":
        guard args.count == 7, let limit = Int(args[5]), let repeats = Int(args[6]) else {
            fail("usage: cairn-bench search STORE FILTER ORDER LIMIT REPEAT")
        }
        print(try await SearchBenchData.timeSearch(try Store.open(at: args[2]), filter: args[3], order: args[4],
                                                  limit: limit, repeats: repeats))
    case "populate-ui":
        guard args.count == 6, let tableRuns = Int(args[3]), let chartRuns = Int(args[4]), let steps = Int(args[5]) else {
            fail("usage: cairn-bench populate-ui STORE TABLE_RUNS CHART_RUNS CHART_STEPS")
        }
        let store = try (try? Store.open(at: args[2])) ?? Store.initialize(at: args[2])
        let ids = try UIBenchData.populateChart(store, experiment: "ui/chart", runs: chartRuns, steps: steps)
        try UIBenchData.populateTable(store, experiment: "ui/runs", runs: 0..<tableRuns)
        print("[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]")
    default:
        fail("usage: cairn-bench populate|save-loop|background-save|populate-search|search|populate-ui …")
    }
} catch {
    fail("\(error)")
}
