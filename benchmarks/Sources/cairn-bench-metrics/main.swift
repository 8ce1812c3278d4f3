// Metrics benchmark helper (benchmarks/metrics.py runs it; not part of the cairn CLI). Each command
// times only the library calls and prints one JSON line.
//
//   cairn-bench-metrics log STORE POINTS [KEYS] [--tb]
//       logs POINTS points through the single-point MetricLogger.log (KEYS keys in turn, one step per
//       round, wall time from the logger's clock) into a new run of a new store, then close();
//       --tb turns live event files on as well.
//   cairn-bench-metrics tb-write FILE TAGS STEPS
//       writes TAGS × STEPS scalars with EventFileWriter.appendScalar, then the file.
//   cairn-bench-metrics tb-read FILE
//       reads every scalar of an event file (EventFileReader), checking CRCs.
//   cairn-bench-metrics csv-fill STORE TAGS STEPS
//       logs TAGS × STEPS points to split "train" of a new run (for timing `cairn tb export`); prints its id.
//
// Values are the same formula in benchmarks/metrics.py: tag t at step s has 1 / (1 + s * 0.001) + t * 0.1.
#if canImport(Glibc)
import Glibc
#endif
import CairnCore
import CairnFormats
import CairnKit

func fail(_ message: String) -> Never {
    print("cairn-bench-metrics: \(message)")
    exit(1)
}

func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func value(tag: Int, step: Int) -> Double { 1 / (1 + Double(step) * 0.001) + Double(tag) * 0.1 }

func newRun(_ storePath: String) throws(CairnError) -> (Store, Run) {
    let store = try Store.initialize(at: storePath)
    let run = try store.createRun(RunRequest(experiment: try ExperimentName("bench/metrics"), captureGit: false))
    return (store, run)
}

let args = CommandLine.arguments
do {
    switch args.count > 1 ? args[1] : "" {
    case "log":
        guard args.count >= 4, let points = Int(args[3]) else { fail("usage: log STORE POINTS [KEYS] [--tb]") }
        let keyCount = args.count > 4 ? Int(args[4]) ?? 5 : 5
        let tb = args.contains("--tb")
        let (store, run) = try newRun(args[2])
        let keys = (0..<keyCount).map { "metric_\($0)" }
        let logger = try MetricLogger(store: store, run: run, tensorBoard: tb)
        let start = seconds()
        var step = 0
        var logged = 0
        while logged < points {
            for k in 0..<keyCount where logged < points {
                try logger.log(keys[k], value(tag: k, step: step), step: Int64(step), epoch: step / 10_000)
                logged += 1
            }
            step += 1
        }
        try logger.close()
        let elapsed = seconds() - start
        let path = try store.metricsPath(of: run, split: "train")
        print("{\"points\": \(points), \"seconds\": \(elapsed), \"csv\": \"\(path)\", \"bytes\": \(fileSize(path))}")
    case "tb-write":
        guard args.count == 5, let tags = Int(args[3]), let steps = Int(args[4]) else { fail("usage: tb-write FILE TAGS STEPS") }
        let names = (0..<tags).map { "metric_\($0)" }
        let start = seconds()
        let wall = Double(Int(start))
        var writer = EventFileWriter(wallTime: wall, capacity: tags * steps * 48)
        for step in 0..<steps {
            for t in 0..<tags {
                writer.appendScalar(tag: names[t], value: value(tag: t, step: step), step: Int64(step), wallTime: wall + Double(step) * 0.001)
            }
        }
        guard let file = fopen(args[2], "wb") else { fail("cannot create \(args[2])") }
        let bytes = writer.bytes
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        let elapsed = seconds() - start
        print("{\"scalars\": \(tags * steps), \"seconds\": \(elapsed), \"bytes\": \(bytes.count)}")
    case "tb-read":
        guard args.count == 3 else { fail("usage: tb-read FILE") }
        let start = seconds()
        guard let file = fopen(args[2], "rb") else { fail("cannot open \(args[2])") }
        fseek(file, 0, SEEK_END)
        let size = ftell(file)
        fseek(file, 0, SEEK_SET)
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = fread(buffer.baseAddress, 1, size, file)
        }
        fclose(file)
        let read = EventFileReader.read(bytes: bytes)
        let elapsed = seconds() - start
        if read.damage != nil { fail("damaged: \(read.damage!)") }
        print("{\"scalars\": \(read.pointCount), \"seconds\": \(elapsed), \"tags\": \(read.tags.count)}")
    case "csv-fill":
        guard args.count == 5, let tags = Int(args[3]), let steps = Int(args[4]) else { fail("usage: csv-fill STORE TAGS STEPS") }
        let (store, run) = try newRun(args[2])
        let logger = MetricLogger(store: store, run: run)
        for step in 0..<steps {
            for t in 0..<tags { try logger.log("metric_\(t)", value(tag: t, step: step), step: Int64(step)) }
        }
        try logger.close()
        print(run.id.value)
    default:
        fail("usage: cairn-bench-metrics log|tb-write|tb-read|csv-fill …")
    }
} catch {
    fail("\(error)")
}

func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : -1
}
