import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Every time the store records comes from its clock: a manual clock set far from the system's time
/// shows any reading of the system clock.
@Suite("Store clock: recorded times come from the store's clock")
struct StoreClockTests {
    /// 2001-02-03T04:05:06.789Z.
    static let start = Timestamp(millisecondsSinceEpoch: 981_173_106_789)

    private func later(_ seconds: Double) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Self.start.millisecondsSinceEpoch + Int64(seconds * 1000))
    }

    @Test func runStartEndAndExperimentCreation() throws {
        let clock = ManualWallClock(Self.start)
        let fixture = try StoreFixture(clock: clock)
        let run = try fixture.store.createRun(try .plain("vae/baseline"))
        #expect(run.record.startTime == Self.start)
        #expect(run.id.value.hasPrefix("20010203-040506-789-"))
        #expect(try fixture.store.experiment(named: try ExperimentName("vae/baseline")).createdAt == Self.start)
        #expect(try fixture.store.run(run.id.value).record.startTime == Self.start)

        clock.advance(seconds: 90.5)
        let ended = try fixture.store.endRun(try fixture.store.resolveRun(run.id.value), status: .finished)
        #expect(ended.record.endTime == later(90.5))
        #expect(ended.record.durationSeconds == 90.5)
        #expect(try fixture.store.run(run.id.value).record.endTime == later(90.5))
    }

    @Test func leasesHeartbeatsAndLiveness() throws {
        let clock = ManualWallClock(Self.start)
        let fixture = try StoreFixture(clock: clock)
        let run = try fixture.store.createRun(try .plain("exp"))
        var lease = try #require(try fixture.store.lease(of: run.id))
        #expect(lease.acquiredAt == Self.start)
        #expect(lease.heartbeatAt == Self.start)

        clock.advance(seconds: 30)
        try fixture.store.heartbeat(run.id)
        #expect(try fixture.store.lease(of: run.id)?.heartbeatAt == later(30))
        clock.advance(seconds: 5)
        try fixture.store.transferLease(of: run.id, to: .currentProcess)
        #expect(try fixture.store.lease(of: run.id)?.acquiredAt == later(35))

        // An owner on another host is judged by its heartbeat's age on the store's clock: alive up to
        // three intervals, dead after.
        lease = try #require(try fixture.store.lease(of: run.id))
        lease.host = "some-other-host.invalid"
        lease.heartbeatIntervalSeconds = 10
        try AtomicFile.write(try JSONCoding.encode(lease), to: fixture.store.leasePath(run.id))
        #expect(fixture.store.liveness(of: run.record) == .alive)
        clock.advance(seconds: 30)
        #expect(fixture.store.liveness(of: run.record) == .alive)
        clock.advance(seconds: 0.5)
        #expect(fixture.store.liveness(of: run.record) == .ownerDead)
    }

    @Test func checkpointManifestEventTimes() throws {
        let clock = ManualWallClock(Self.start)
        let fixture = try StoreFixture(clock: clock)
        let run = try fixture.store.createRun(try .plain("exp"))
        let checkpoints = try RunCheckpoints.open(store: fixture.store, run: run)
        let keepOne = CheckpointPolicy(saveStrategy: .last)
        try checkpoints.save(Ckpt.at(1, policy: keepOne))
        clock.advance(seconds: 60)
        try checkpoints.save(Ckpt.at(2, policy: keepOne))

        let path = try fixture.store.runFilePath(run, .checkpointManifest)
        let events = try ManifestCodec.decode(try FileSystem.read(path), path: path).events
        #expect(events.contains { if case .prune = $0 { true } else { false } })
        for event in events {
            #expect(event.time == (event.seq == 1 && event.name != "prune" ? Self.start : later(60)), "\(event)")
        }
    }

    @Test func metricTimesAndTheFlushInterval() throws {
        let clock = ManualWallClock(Self.start)
        let fixture = try StoreFixture(clock: clock)
        let run = try fixture.store.createRun(try .plain("exp"))
        let logger = MetricLogger(store: fixture.store, run: run)
        logger.flushInterval = 2
        try logger.log("loss", 1.5, step: 0)
        #expect(try fixture.store.metrics(of: run, split: "train").isEmpty)
        // The interval is measured on the store's clock: moved 3 s on, the next point writes the buffer.
        clock.advance(seconds: 3)
        try logger.log("loss", 1.25, step: 1)
        let written = try fixture.store.metrics(of: run, split: "train")
        #expect(written.map(\.time) == [Self.start.secondsSinceEpoch, later(3).secondsSinceEpoch])
        try logger.log("loss", 1.0, step: 2)
        #expect(try fixture.store.metrics(of: run, split: "train").count == 2)
        try logger.close()
        #expect(try fixture.store.metrics(of: run, split: "train").last?.time == later(3).secondsSinceEpoch)
    }

    @Test func tensorBoardExportNamesItsFileByTheRunsStartOnTheClock() throws {
        let clock = ManualWallClock(Self.start)
        let fixture = try StoreFixture(clock: clock)
        let run = try fixture.store.createRun(try .plain("exp"))
        let logger = MetricLogger(store: fixture.store, run: run)
        try logger.log("loss", 1.5, step: 0)
        try logger.close()
        clock.advance(seconds: 10)
        let export = try fixture.store.exportTensorBoard(run)
        // The run's one event file: named from the run's start (the clock's time then), not the export's.
        #expect(Paths.lastComponent(export.path).hasPrefix("events.out.tfevents.\(Int(Self.start.secondsSinceEpoch))."))
    }

    @Test func adoptionTimes() throws {
        let directory = try TemporaryDirectory("cairn-kit-clock")
        let tree = directory.appending("tree").path
        try Disk.write("weights", to: tree + "/checkpoints/resnet/tag/train-P1/val-P2/checkpoint_1_100.pt")
        _ = try Store.adopt(AdoptRequest(tree: tree, layout: "prompt-tree"), clock: ManualWallClock(Self.start))
        let store = try Store.open(at: tree)
        #expect(try store.experiments().map(\.createdAt) == [Self.start])
    }
}
