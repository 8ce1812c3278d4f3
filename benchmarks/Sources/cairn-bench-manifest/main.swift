// Times reading a 100,000-event checkpoint manifest: read the file, decode the lines, fold the events,
// plan retention. Prints the median of 10 runs in milliseconds. Build in release:
//   swift run -c release cairn-bench-manifest [EVENTS] [--policy-once]
// With --policy-once, only the first commit records the policy (a writer that records it when it changes).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnFormats

let eventCount = CommandLine.arguments.dropFirst().lazy.compactMap { Int($0) }.first ?? 100_000
let policyOnce = CommandLine.arguments.contains("--policy-once")
let policy = CheckpointPolicy(monitor: "val_loss", topK: 3, keepLast: 2, keepEpochs: [10, 15])
let start = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)
let sha = String(repeating: "9f86d081884c7d65", count: 4)

// Save + commit pairs, with a prune of an older save every 500 saves.
var events: [ManifestEvent] = []
events.reserveCapacity(eventCount)
var seq = 0
while events.count < eventCount {
    seq += 1
    let time = Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(seq) * 1_000)
    let epoch = seq / 10, step = seq * 100
    let loss = 1.0 / Double(seq) + Double(seq % 7) * 0.013
    events.append(.begin(.init(seq: seq, path: "checkpoints/epoch_\(epoch)-step_\(step).pt", epoch: epoch, step: step,
                               metrics: ["val_loss": loss, "train_loss": loss * 0.9, "lr": 3e-4], bytes: 52_428_800,
                               sha256: sha, time: time)))
    events.append(.commit(.init(seq: seq, policy: policyOnce && seq > 1 ? nil : policy.mapping, decision: "kept: last",
                                 time: time)))
    if seq % 500 == 0 { events.append(.prune(.init(seq: seq - 400, reason: "not among the top 3", time: time))) }
}
events.removeLast(events.count - eventCount)

let path = "/tmp/cairn-bench-manifest-\(getpid()).jsonl"
let bytes = ManifestCodec.encode(events)
guard let out = fopen(path, "wb") else { fatalError("cannot write \(path)") }
_ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, out) }
fclose(out)
defer { unlink(path) }

func readFile(_ path: String) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    precondition(fd >= 0, "cannot open \(path)")
    defer { close(fd) }
    var info = stat()
    fstat(fd, &info)
    let size = Int(info.st_size)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        var done = 0
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n <= 0 { break }
            done += n
        }
        count = done
    }
}

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

let clock = ContinuousClock()
var totals: [Double] = [], reads: [Double] = [], decodes: [Double] = [], folds: [Double] = [], plans: [Double] = []
var kept = 0
for _ in 0..<10 {
    let t0 = clock.now
    let data = readFile(path)
    let t1 = clock.now
    let decoded: [ManifestEvent]
    do { decoded = try ManifestCodec.decode(data, path: path).events } catch { fatalError("\(error)") }
    let t2 = clock.now
    let state = ManifestState(events: decoded)
    let t3 = clock.now
    let plan = RetentionPlanner.plan(state, policy: policy)
    let t4 = clock.now
    kept = plan.keep.count
    reads.append(ms(t1 - t0)); decodes.append(ms(t2 - t1)); folds.append(ms(t3 - t2)); plans.append(ms(t4 - t3))
    totals.append(ms(t4 - t0))
}

func median(_ values: [Double]) -> String {
    let sorted = values.sorted()
    let m = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    return String(Double(Int(m * 100)) / 100)
}

print("manifest: \(eventCount) events, \(bytes.count) bytes, \(seq) saves, \(kept) kept")
print("read+decode+fold+plan: \(median(totals)) ms (median of 10; read \(median(reads)), decode \(median(decodes)), "
      + "fold \(median(folds)), plan \(median(plans)))")
