#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// The manifest snapshot (`.cairn/runs/<id>/checkpoints.state`) is a cache: loading through it gives the
/// same state as decoding the whole manifest, and a snapshot that is stale or damaged is ignored.
@Suite struct ManifestSnapshotFileTests {
    /// Saves with commits, a prune every 50 saves and a pointer every 10: about 500 bytes per save.
    static func events(saves: Int, from first: Int = 1, seed: UInt64 = 1, policy: ConfigMapping? = ["top_k": 3, "monitor": "val_loss"])
        -> [ManifestEvent] {
        var random = SeededGenerator(seed: seed)
        var events: [ManifestEvent] = []
        for seq in first..<(first + saves) {
            let time = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000 + Int64(seq) * 1000)
            events.append(.begin(.init(seq: seq, path: "checkpoints/epoch_\(seq)-step_\(seq * 100).pt", epoch: seq, step: seq * 100,
                                       metrics: ["val_loss": 1 + Double(random.next() % 10_000) / 7, "acc": .nan],
                                       bytes: Int64(random.next() % 1_000_000), sha256: String(repeating: "9f", count: 32), time: time)))
            events.append(.commit(.init(seq: seq, policy: policy, decision: "kept: last", time: time)))
            if seq % 50 == 0 { events.append(.prune(.init(seq: seq - 40, reason: "not among the top 3", time: time))) }
            if seq % 10 == 0 {
                events.append(.pointer(.init(name: "last", seq: seq, path: "checkpoints/last.pt", mechanism: "symlink", time: time)))
            }
        }
        return events
    }

    final class Files: Sendable {
        let folder: TemporaryDirectory
        init() throws { folder = try TemporaryDirectory() }
        var manifestPath: String { folder.path + "/checkpoints.jsonl" }
        var snapshotPath: String { folder.path + "/checkpoints.state" }
        var manifest: ManifestFile { ManifestFile(path: manifestPath, snapshotPath: snapshotPath) }
        /// The state decoded from the whole manifest, without the snapshot.
        func full() throws -> ManifestState { ManifestState(events: try ManifestFile(path: manifestPath).read().events) }
        func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
        func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
    }

    /// A manifest large enough for writers to leave a snapshot (covering all of it), then `tail` more saves.
    static func withSnapshot(tail: Int = 20) throws -> Files {
        let files = try Files()
        try files.manifest.append(events(saves: 800))
        _ = try files.manifest.readStateRepairing()
        #expect(FileManager.default.fileExists(atPath: files.snapshotPath))
        if tail > 0 { try files.manifest.append(events(saves: tail, from: 801)) }
        return files
    }

    @Test func writersLeaveASnapshotThatLoadsTheSameState() throws {
        let files = try Self.withSnapshot()
        let snapshot = try ManifestSnapshotCodec.decode(try files.bytes(files.snapshotPath), path: files.snapshotPath)
        #expect(snapshot.coveredBytes == ManifestCodec.encode(Self.events(saves: 800)).count)
        let (state, torn) = try files.manifest.readState()
        #expect(!torn)
        #expect(state == (try files.full()))
        #expect(try files.manifest.readStateRepairing() == (try files.full()))
    }

    @Test func smallManifestsHaveNoSnapshot() throws {
        let files = try Files()
        try files.manifest.append(Self.events(saves: 20))
        #expect(try files.manifest.readStateRepairing() == (try files.full()))
        #expect(!FileManager.default.fileExists(atPath: files.snapshotPath))
    }

    @Test func theSnapshotIsUsed() throws {
        // Damage a covered line outside the fingerprint's windows without changing its length: a load
        // through the snapshot never decodes it.
        let files = try Self.withSnapshot()
        var bytes = try files.bytes(files.manifestPath)
        let covered = try ManifestSnapshotCodec.decode(try files.bytes(files.snapshotPath), path: "s").coveredBytes
        let windows = ManifestSnapshot.fingerprintRanges(coveredBytes: covered)
        let index = try #require((windows[3].upperBound + 1..<windows[4].lowerBound).first { bytes[$0] == UInt8(ascii: "{") })
        bytes[index] = UInt8(ascii: "x")
        try files.write(bytes, files.manifestPath)
        #expect(throws: CairnError.self) { try files.full() }
        let (state, _) = try files.manifest.readState()
        #expect(state.entries.count == 820)
    }

    enum Damage: String, CaseIterable {
        case manifestTruncated, manifestTruncatedMidLine, manifestReplacedSameLength, manifestRemoved, coveredLineEdited
        case snapshotTruncated, snapshotEmpty, snapshotGarbage, snapshotBitFlipped, snapshotFutureVersion, snapshotOfAnotherManifest
    }

    @Test(arguments: Damage.allCases)
    func aStaleOrDamagedSnapshotIsIgnored(damage: Damage) throws {
        let files = try Self.withSnapshot()
        var manifest = try files.bytes(files.manifestPath)
        var snapshot = try files.bytes(files.snapshotPath)
        let covered = try ManifestSnapshotCodec.decode(snapshot, path: "s").coveredBytes
        switch damage {
        case .manifestTruncated:
            // Back to a line boundary well before the snapshot's end, then other saves appended.
            let cut = manifest[..<(covered / 2)].lastIndex(of: 0x0A)! + 1
            manifest = Array(manifest[..<cut]) + ManifestCodec.encode(Self.events(saves: 400, from: 2000, seed: 9))
        case .manifestTruncatedMidLine:
            manifest = Array(manifest[..<(covered - 10)])
        case .manifestReplacedSameLength:
            var other = ManifestCodec.encode(Self.events(saves: 820, seed: 5).filter { if case .pointer = $0 { false } else { true } })
            if other.count > manifest.count { other = Array(other[..<(other[..<manifest.count].lastIndex(of: 0x0A)! + 1)]) }
            other += [UInt8](repeating: 0x0A, count: manifest.count - other.count)  // blank lines are skipped
            manifest = other
        case .manifestRemoved:
            manifest = []
        case .coveredLineEdited:
            // The last covered line's time, one digit changed: same length, different bytes before the offset.
            let digit = manifest[..<covered].lastIndex(of: UInt8(ascii: "Z"))! - 1
            manifest[digit] = manifest[digit] == UInt8(ascii: "9") ? UInt8(ascii: "8") : UInt8(ascii: "9")
        case .snapshotTruncated:
            snapshot = Array(snapshot[..<(snapshot.count / 2)])
        case .snapshotEmpty:
            snapshot = []
        case .snapshotGarbage:
            var random = SeededGenerator(seed: 3)
            snapshot = snapshot.map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case .snapshotBitFlipped:
            snapshot[snapshot.count / 2] ^= 0x10
        case .snapshotFutureVersion:
            snapshot[8] &+= 1
        case .snapshotOfAnotherManifest:
            let other = try Files()
            try other.manifest.append(Self.events(saves: 800, seed: 77))
            _ = try other.manifest.readStateRepairing()
            snapshot = try other.bytes(other.snapshotPath)
        }
        if damage == .manifestRemoved {
            try FileManager.default.removeItem(atPath: files.manifestPath)
        } else {
            try files.write(manifest, files.manifestPath)
        }
        try files.write(snapshot, files.snapshotPath)

        let expected = damage == .manifestRemoved ? ManifestState() : try files.full()
        #expect(try files.manifest.readState().state == expected, "\(damage)")
        // A writer repairs what is torn and replaces or removes the snapshot; loads stay correct after.
        let repaired = try files.manifest.readStateRepairing()
        #expect(repaired == expected, "\(damage)")
        #expect(try files.manifest.readState().state == expected, "\(damage)")
        if FileManager.default.fileExists(atPath: files.snapshotPath) {
            // A snapshot left in place holds the fold of the lines it covers, as they are now.
            let fresh = try ManifestSnapshotCodec.decode(try files.bytes(files.snapshotPath), path: "s")
            let covered = Array(try files.bytes(files.manifestPath)[..<fresh.coveredBytes])
            #expect(fresh.state == ManifestState(events: try ManifestCodec.decode(covered, path: "m").events), "\(damage)")
        }
        // Saves appended afterwards are seen too.
        if damage != .manifestRemoved {
            try files.manifest.append(Self.events(saves: 3, from: 5000))
            #expect(try files.manifest.readState().state == (try files.full()), "\(damage)")
        }
    }

    @Test func aTornTailAfterTheSnapshotIsSkippedThenRepaired() throws {
        let files = try Self.withSnapshot()
        let handle = try #require(FileHandle(forWritingAtPath: files.manifestPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"event\":\"commit\",\"se".utf8))
        try handle.close()
        let (state, torn) = try files.manifest.readState()
        #expect(torn)
        let repaired = try files.manifest.readStateRepairing()
        #expect(repaired == state)
        #expect(try files.bytes(files.manifestPath).last == 0x0A)
        #expect(repaired == (try files.full()))
    }

    @Test func aBadLineAfterTheSnapshotIsReportedWithItsLineNumber() throws {
        let files = try Self.withSnapshot(tail: 0)
        let lines = try files.bytes(files.manifestPath).filter { $0 == 0x0A }.count
        try files.manifest.append(Self.events(saves: 1, from: 901))  // two lines: begin, commit
        let handle = try #require(FileHandle(forWritingAtPath: files.manifestPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("not json\n".utf8) + Data(ManifestCodec.encode(Self.events(saves: 1, from: 903))))
        try handle.close()
        let error = try #require(throws: CairnError.self) { try files.manifest.readState() }
        #expect(error.kind == .corrupt)
        #expect(error.message.contains("line \(lines + 3)"), "\(error.message)")
    }

    @Test func runsKeepTheirSnapshotInTheCairnFolderAndSaveThroughIt() throws {
        let f = try CheckpointFixture()
        let manifestPath = try f.manifestPath
        // Recorded without a policy, so opening the run does not re-plan saves whose files are not there.
        try ManifestFile(path: manifestPath).append(Self.events(saves: 700, policy: nil))
        let snapshotPath = f.store.runMetaFolder(f.run.id) + "/checkpoints.state"
        // A snapshot write killed midway leaves a temporary file behind: the next writer removes it.
        let stray = f.store.runMetaFolder(f.run.id) + "/.cairn-tmp-checkpoints.state-999999-abc"
        try Disk.write("partial", to: stray)
        let ckpts = try f.open()
        #expect(Disk.exists(snapshotPath))
        #expect(!Disk.exists(stray))
        let policy = CheckpointPolicy(monitor: "val_loss", topK: 2)
        try ckpts.save(Ckpt.at(1000, ["val_loss": 0.01], policy: policy))
        try ckpts.save(Ckpt.at(1001, ["val_loss": 0.02], policy: policy))
        try ckpts.close()
        let full = ManifestState(events: try ManifestFile(path: manifestPath).read().events)
        #expect(try f.view().state == full)
        #expect(full.entries.filter(\.isKept).map(\.epoch) == [1000, 1001])
        // A torn snapshot (a crash while it was written without fsync) is ignored.
        try Disk.write("CAIRNSNP torn", to: snapshotPath)
        #expect(try f.view().state == full)
        try FileManager.default.removeItem(atPath: snapshotPath)
        #expect(try f.view().state == full)
    }
}
