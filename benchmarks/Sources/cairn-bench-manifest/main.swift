// Times loading a large checkpoint manifest and planning retention, cold and warm:
// - cold: read checkpoints.jsonl, decode every line, fold the events, plan;
// - warm: read the snapshot (checkpoints.state), check its fingerprint against the manifest, read and
//   decode only the lines after it (a tail of --tail events, 1,000 by default: about the 256 KiB after
//   which writers refresh the snapshot), fold them in, plan.
// Prints medians of 10 runs in milliseconds. Build in release:
//   swift build -c release --product cairn-bench-manifest && .build/release/cairn-bench-manifest 200000
// Options: EVENTS (default 100,000), --tail N, --policy-once (only the first commit records the policy,
// as a writer that records it when it changes would), --write PATH (also keep the manifest at PATH),
// --pruned-along (the run was saved under its policy all along: each save prunes the one 5 saves back,
// so the plan has a handful of kept entries among 100,000; without it every save is still kept and
// the plan prunes all but a few: the worst case), --warm-only (skip the cold runs), --profile-loop N
// [--profile-plan] (then decode the snapshot, and plan, N more times: a loop to run under perf).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnFormats

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
let eventCount = arguments.first.flatMap { Int($0) } ?? 100_000
let tailEvents = option("--tail").flatMap { Int($0) } ?? 1_000
let policyOnce = arguments.contains("--policy-once")
let prunedAlong = arguments.contains("--pruned-along")
let warmOnly = arguments.contains("--warm-only")
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
    if prunedAlong {
        if seq > 5 { events.append(.prune(.init(seq: seq - 5, reason: "not among the top 3 by val_loss (min); not among the last 2 saves", time: time))) }
    } else if seq % 500 == 0 {
        events.append(.prune(.init(seq: seq - 400, reason: "not among the top 3", time: time)))
    }
}
events.removeLast(events.count - eventCount)

let path = option("--write") ?? "/tmp/cairn-bench-manifest-\(getpid()).jsonl"
let statePath = "/tmp/cairn-bench-manifest-\(getpid()).state"
let covered = ManifestCodec.encode(Array(events.dropLast(min(tailEvents, events.count))))
let bytes = covered + ManifestCodec.encode(Array(events.suffix(min(tailEvents, events.count))))
writeFile(path, bytes)
defer {
    if option("--write") == nil { unlink(path) }
    unlink(statePath)
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    guard let out = fopen(path, "wb") else { fatalError("cannot write \(path)") }
    _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, out) }
    fclose(out)
}

/// `size` bytes of a file from `offset` (to the end when nil).
func readFile(_ path: String, from offset: Int = 0, size wanted: Int? = nil) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    precondition(fd >= 0, "cannot open \(path)")
    defer { close(fd) }
    var info = stat()
    fstat(fd, &info)
    let size = wanted ?? max(0, Int(info.st_size) - offset)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        var done = 0
        while done < size {
            let n = pread(fd, buffer.baseAddress! + done, size - done, off_t(offset + done))
            if n <= 0 { break }
            done += n
        }
        count = done
    }
}

func ms(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> String {
    let sorted = values.sorted()
    let m = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    return String(Double(Int(m * 100)) / 100)
}

let clock = ContinuousClock()
let runs = 10

// Cold: the whole manifest.
var totals: [Double] = [], reads: [Double] = [], decodes: [Double] = [], folds: [Double] = [], plans: [Double] = []
var kept = 0
var coldState = ManifestState()
for _ in 0..<(warmOnly ? 0 : runs) {
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
    coldState = state
    reads.append(ms(t1 - t0)); decodes.append(ms(t2 - t1)); folds.append(ms(t3 - t2)); plans.append(ms(t4 - t3))
    totals.append(ms(t4 - t0))
}
if !warmOnly {
        print("manifest: \(eventCount) events, \(bytes.count) bytes, \(seq) saves, \(kept) kept")
    print("cold (no snapshot): \(median(totals)) ms (read \(median(reads)), decode \(median(decodes)), "
          + "fold \(median(folds)), plan \(median(plans)))")
}

// The snapshot a writer leaves: the fold of all but the tail.
var writes: [Double] = []
let coveredState: ManifestState
do { coveredState = ManifestState(events: try ManifestCodec.decode(covered, path: path).events) } catch { fatalError("\(error)") }
var snapshotSize = 0
for _ in 0..<runs {
    let t0 = clock.now
    let fingerprint = ManifestSnapshot.fingerprintRanges(coveredBytes: covered.count).flatMap { covered[$0] }
    let encoded = ManifestSnapshotCodec.encode(ManifestSnapshot(state: coveredState, coveredBytes: covered.count,
                                                                fingerprint: fingerprint))
    writeFile(statePath, encoded)
    writes.append(ms(clock.now - t0))
    snapshotSize = encoded.count
}

// Warm: snapshot + tail.
var warmTotals: [Double] = [], snapshotReads: [Double] = [], snapshotDecodes: [Double] = [], checks: [Double] = []
var tails: [Double] = []
plans = []
for _ in 0..<runs {
    let t0 = clock.now
    let raw = readFile(statePath)
    let t1 = clock.now
    var state: ManifestState
    let coveredBytes: Int
    do {
        var snapshot = try ManifestSnapshotCodec.decode(raw, path: statePath)
        state = snapshot.state
        snapshot.state = ManifestState()  // the only reference, so folding the tail does not copy the entries
        coveredBytes = snapshot.coveredBytes
        let t2 = clock.now
        var found: [UInt8] = []
        for range in ManifestSnapshot.fingerprintRanges(coveredBytes: coveredBytes) {
            found += readFile(path, from: range.lowerBound, size: range.count)
        }
        precondition(found == snapshot.fingerprint, "the snapshot does not match")
        let t3 = clock.now
        for event in try ManifestCodec.decode(readFile(path, from: coveredBytes), path: path).events { state.apply(event) }
        let t4 = clock.now
        snapshotReads.append(ms(t1 - t0)); snapshotDecodes.append(ms(t2 - t1)); checks.append(ms(t3 - t2)); tails.append(ms(t4 - t3))
    } catch { fatalError("\(error)") }
    let t5 = clock.now
    let plan = RetentionPlanner.plan(state, policy: policy)
    let t6 = clock.now
    precondition(warmOnly || (state == coldState && plan.keep.count == kept), "warm and cold states differ")
    plans.append(ms(t6 - t5))
    warmTotals.append(ms(t6 - t0))
}
print("warm (snapshot of \(snapshotSize) bytes + \(min(tailEvents, events.count)) tail events): \(median(warmTotals)) ms "
      + "(read snapshot \(median(snapshotReads)), decode snapshot \(median(snapshotDecodes)), fingerprint \(median(checks)), "
      + "tail \(median(tails)), plan \(median(plans)))")
print("writing the snapshot: \(median(writes)) ms (encode + write, no fsync)")
if let loops = option("--profile-loop").flatMap({ Int($0) }) {
    // For profiling: repeat the warm path's decode and plan only.
    let raw = readFile(statePath)
    var sink = 0
    for _ in 0..<loops {
        let state = try! ManifestSnapshotCodec.decode(raw, path: statePath).state
        if arguments.contains("--profile-plan") { for _ in 0..<4 { sink &+= RetentionPlanner.plan(state, policy: policy).prune.count } }
        sink &+= state.entries.count
    }
    print("profile loop done", sink)
}
