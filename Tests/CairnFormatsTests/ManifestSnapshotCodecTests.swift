import CairnCore
import CairnFormats
import CairnTestSupport
import Testing

/// Random manifests for snapshot tests: saves (files and folders, with and without steps, odd metrics),
/// commits with a few policies, aborts, prunes, verifies, pointers, replaced paths, resumed epochs.
enum RandomManifest {
    static func events(_ random: inout SeededGenerator, count: Int) -> [ManifestEvent] {
        let time = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)
        let policies: [ConfigMapping] = [["save_strategy": "all"], ["top_k": 3, "monitor": "val_loss", "keep_epochs": [10, 15]],
                                         ["monitor": "acc", "mode": "max", "nested": ["x": 1.5, "y": .null, "z": true]]]
        let names = ["val_loss", "acc", "lr", "ünï", "a\"b"]
        let values: [Double] = [0.5, -0.0, .nan, .infinity, -.infinity, 1e-300, 3]
        // Lowercase hex digests (packed as bytes) most often; empty, uppercase, not hex and short ones kept as text.
        let shas = [String(repeating: "ab", count: 32), String(repeating: "09", count: 32), "", String(repeating: "AB", count: 32),
                    String(repeating: "zz", count: 32), "cd", String(repeating: "ab", count: 32) + "0"]
        var events: [ManifestEvent] = []
        var seq = 0
        while events.count < count {
            let now = Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch + Int64(events.count))
            let known = seq > 0 ? Int(random.next() % UInt64(seq)) + 1 : 1
            switch random.next() % 10 {
            case 0...3:
                seq += Int(random.next() % 3 == 0 ? 2 : 1)  // sometimes a gap
                var metrics: [String: Double] = [:]
                for name in names where random.next() % 2 == 0 { metrics[name] = values[Int(random.next() % UInt64(values.count))] }
                let folder = random.next() % 5 == 0
                events.append(.begin(.init(seq: seq, path: "checkpoints/e\(random.next() % 20)\(folder ? "" : ".pt")",
                                           kind: folder ? .folder : .file, epoch: Int(random.next() % 30),
                                           step: random.next() % 3 == 0 ? nil : Int(random.next() % 5000), metrics: metrics,
                                           bytes: Int64(random.next() % 1_000_000), sha256: shas[Int(random.next() % UInt64(shas.count))],
                                           files: folder ? ["a.bin", "sub/ü.json"] : nil,
                                           replaces: random.next() % 4 == 0 ? known : nil, time: now)))
            case 4...6:
                events.append(.commit(.init(seq: random.next() % 4 == 0 ? known : seq,
                                            policy: random.next() % 3 == 0 ? nil : policies[Int(random.next() % 3)],
                                            decision: ["kept: last", "kept: best by val_loss (min); last", ""][Int(random.next() % 3)],
                                            time: now)))
            case 7:
                events.append(.prune(.init(seq: known, reason: ["not among the top 3", "superseded"][Int(random.next() % 2)], time: now)))
            case 8:
                events.append(random.next() % 2 == 0 ? .abort(.init(seq: seq, reason: "disk full", time: now))
                              : .verify(.init(seq: known, sha256: "cd", ok: random.next() % 2 == 0, time: now)))
            default:
                events.append(.pointer(.init(name: ["best", "last", "best_score"][Int(random.next() % 3)], seq: known,
                                             path: "checkpoints/p\(random.next() % 3).pt",
                                             mechanism: ["symlink", "hardlink", "copy"][Int(random.next() % 3)], time: now)))
            }
        }
        return events
    }
}

@Suite struct ManifestSnapshotCodecTests {
    /// Encodes the fold of the first `split` lines of `events` as a snapshot of those lines' bytes.
    static func snapshot(of events: [ManifestEvent], split: Int) -> (bytes: [UInt8], manifest: [UInt8], covered: Int) {
        let prefix = ManifestCodec.encode(Array(events[..<split]))
        let manifest = prefix + ManifestCodec.encode(Array(events[split...]))
        let fingerprint = ManifestSnapshot.fingerprintRanges(coveredBytes: prefix.count).flatMap { manifest[$0] }
        let snapshot = ManifestSnapshot(state: ManifestState(events: Array(events[..<split])), coveredBytes: prefix.count,
                                        fingerprint: fingerprint)
        return (ManifestSnapshotCodec.encode(snapshot), manifest, prefix.count)
    }

    @Test func snapshotPlusTailEqualsFullDecode() throws {
        var random = SeededGenerator(seed: 7)
        for round in 0..<60 {
            let events = RandomManifest.events(&random, count: Int(random.next() % 400) + 1)
            let split = Int(random.next() % UInt64(events.count + 1))
            let (bytes, manifest, covered) = Self.snapshot(of: events, split: split)
            let decoded = try ManifestSnapshotCodec.decode(bytes, path: "s")
            #expect(decoded.coveredBytes == covered)
            #expect(decoded.fingerprint == ManifestSnapshot.fingerprintRanges(coveredBytes: covered).flatMap { manifest[$0] })
            #expect(decoded.state == ManifestState(events: Array(events[..<split])), "round \(round)")
            var state = decoded.state
            for event in try ManifestCodec.decode(Array(manifest[covered...]), path: "m").events { state.apply(event) }
            let full = ManifestState(events: try ManifestCodec.decode(manifest, path: "m").events)
            #expect(state == full, "round \(round): snapshot + tail differs from the full decode")
            // Encoding is deterministic.
            #expect(ManifestSnapshotCodec.encode(decoded) == bytes)
        }
    }

    /// Snapshots of one or several index chunks (decoded on two threads) give back the same state.
    @Test(arguments: [16_383, 16_384, 16_385, 50_000])
    func largeSnapshotsDecodeChunkByChunk(entries: Int) throws {
        var random = SeededGenerator(seed: UInt64(entries))
        let events = RandomManifest.events(&random, count: entries * 2)
        let state = ManifestState(events: events)
        let bytes = ManifestSnapshotCodec.encode(ManifestSnapshot(state: state, coveredBytes: 0, fingerprint: []))
        let decoded = try ManifestSnapshotCodec.decode(bytes, path: "s")
        #expect(decoded.state == state)
        #expect(ManifestSnapshotCodec.encode(decoded) == bytes)
    }

    /// Decoded entries keep path, sha256 and metrics in the snapshot's bytes: they read, plan, change and
    /// compare as entries folded from the manifest do.
    @Test func packedEntriesBehaveLikeFoldedOnes() throws {
        var random = SeededGenerator(seed: 23)
        let events = RandomManifest.events(&random, count: 3_000)
        let folded = ManifestState(events: events)
        let decoded = try ManifestSnapshotCodec.decode(
            ManifestSnapshotCodec.encode(ManifestSnapshot(state: folded, coveredBytes: 0, fingerprint: [])), path: "s").state
        #expect(decoded.entries.count == folded.entries.count)
        for (packed, plain) in zip(decoded.entries, folded.entries) {
            #expect(packed.path == plain.path && packed.sha256 == plain.sha256)
            for name in ["val_loss", "acc", "lr", "ünï", "a\"b", "absent"] {
                #expect(packed.metric(name)?.bitPattern == plain.metrics[name]?.bitPattern)
            }
            // Changing one packed field keeps the others.
            var changed = packed
            changed.path = "elsewhere.pt"
            #expect(changed.path == "elsewhere.pt" && changed.sha256 == plain.sha256 && changed.metrics.count == plain.metrics.count)
            var rehashed = packed
            rehashed.sha256 = "ff"
            #expect(rehashed.sha256 == "ff" && rehashed.path == plain.path && rehashed != packed)
        }
        for policy in [CheckpointPolicy(monitor: "val_loss", topK: 3), CheckpointPolicy(monitor: "acc", mode: .max, keepLast: 2),
                       CheckpointPolicy(saveStrategy: .last)] {
            #expect(RetentionPlanner.plan(decoded, policy: policy) == RetentionPlanner.plan(folded, policy: policy))
        }
    }

    @Test func emptyState() throws {
        let snapshot = ManifestSnapshot(state: ManifestState(), coveredBytes: 0, fingerprint: [])
        #expect(try ManifestSnapshotCodec.decode(ManifestSnapshotCodec.encode(snapshot), path: "s") == snapshot)
    }

    @Test func everyTruncationIsRefused() throws {
        var random = SeededGenerator(seed: 11)
        let events = RandomManifest.events(&random, count: 60)
        let bytes = Self.snapshot(of: events, split: 50).bytes
        for length in 0..<bytes.count {
            #expect(throws: CairnError.self) { try ManifestSnapshotCodec.decode(Array(bytes[..<length]), path: "s") }
        }
        #expect(throws: CairnError.self) { try ManifestSnapshotCodec.decode(bytes + [0], path: "s") }
    }

    @Test func everyBitFlipIsRefused() throws {
        var random = SeededGenerator(seed: 12)
        let events = RandomManifest.events(&random, count: 40)
        let bytes = Self.snapshot(of: events, split: 40).bytes
        for index in bytes.indices {
            for bit in [0, 3, 7] where index % 3 == 0 || bit == 0 {
                var damaged = bytes
                damaged[index] ^= 1 << UInt8(bit)
                #expect(throws: CairnError.self, "byte \(index) bit \(bit)") {
                    try ManifestSnapshotCodec.decode(damaged, path: "s")
                }
            }
        }
    }

    @Test func garbageIsRefused() throws {
        var random = SeededGenerator(seed: 13)
        for length in [0, 1, 31, 32, 33, 100, 5000] {
            let garbage = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(throws: CairnError.self) { try ManifestSnapshotCodec.decode(garbage, path: "s") }
            #expect(throws: CairnError.self) { try ManifestSnapshotCodec.decode(Array("CAIRNSNP".utf8) + garbage, path: "s") }
        }
    }

    @Test func anotherVersionIsUnsupported() throws {
        var bytes = ManifestSnapshotCodec.encode(ManifestSnapshot(state: ManifestState(), coveredBytes: 0, fingerprint: []))
        bytes[8] = UInt8(truncatingIfNeeded: ManifestSnapshotCodec.version + 1)
        let error = try #require(throws: CairnError.self) { try ManifestSnapshotCodec.decode(bytes, path: "s") }
        #expect(error.kind == .unsupportedFormat)
    }

    @Test func restoringRefusesEntriesOutOfOrder() {
        let time = Timestamp(millisecondsSinceEpoch: 0)
        let a = CheckpointEntry(seq: 2, path: "a", epoch: 0, time: time)
        let b = CheckpointEntry(seq: 1, path: "b", epoch: 0, time: time)
        #expect(ManifestState(entries: [a, b], pointers: [:], nextSeq: 3) == nil)
        #expect(ManifestState(entries: [b, a], pointers: [:], nextSeq: 2) == nil)
        #expect(ManifestState(entries: [], pointers: [:], nextSeq: 0) == nil)
        #expect(ManifestState(entries: [b, a], pointers: [:], nextSeq: 3) != nil)
    }

    @Test(arguments: [0, 1, 63, 64, 65, 1024, 4096, 5056, 5057, 5100, 6000, 50_000_000])
    func fingerprintRangesCoverBothEnds(coveredBytes: Int) {
        let ranges = ManifestSnapshot.fingerprintRanges(coveredBytes: coveredBytes)
        if coveredBytes == 0 { #expect(ranges.isEmpty); return }
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == coveredBytes)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound <= b.lowerBound) }
        #expect(ranges.count <= 16)
        #expect(ranges.last!.count >= min(coveredBytes, ManifestSnapshot.lastWindowLength))
    }
}
