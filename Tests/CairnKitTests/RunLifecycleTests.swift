import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Runs: ending, tags and params")
struct RunLifecycleTests {
    @Test(arguments: [RunStatus.finished, .failed, .killed])
    func endRunSetsStatusEndAndDuration(_ status: RunStatus) throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let location = try fixture.store.resolveRun(run.id.value)
        let end = Timestamp(millisecondsSinceEpoch: run.record.startTime.millisecondsSinceEpoch + 2_500)
        let ended = try fixture.store.endRun(location, status: status, exitCode: 3, exitSignal: nil, at: end)
        #expect(ended.record.status == status)
        #expect(ended.record.endTime == end)
        #expect(ended.record.durationSeconds == 2.5)
        #expect(ended.record.exitCode == 3)
        // On disk too, and the lease is released.
        let record = try Disk.jsonObject(run.absoluteFolder + "/run.json")
        #expect(record["status"] as? String == status.rawValue)
        #expect(record["end_time"] as? String == end.iso8601)
        #expect(record["duration_seconds"] as? Double == 2.5)
        #expect(try fixture.store.lease(of: run.id) == nil)
        #expect(try fixture.store.run(at: location) == ended)
    }

    @Test func endRunWithoutATimeUsesNow() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let ended = try fixture.store.endRun(try fixture.store.resolveRun(run.id.value), status: .finished)
        let end = try #require(ended.record.endTime)
        #expect(end >= run.record.startTime)
        #expect((ended.record.durationSeconds ?? -1) >= 0)
    }

    @Test func aSecondEndIsAConflictAndChangesNothing() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let location = try fixture.store.resolveRun(run.id.value)
        try fixture.store.endRun(location, status: .finished)
        let before = try Disk.text(run.absoluteFolder + "/run.json")
        let error = Expect.error(.conflict) { try fixture.store.endRun(location, status: .failed) }
        #expect(error?.message.contains("FINISHED") == true)
        #expect(try Disk.text(run.absoluteFolder + "/run.json") == before)
    }

    @Test func endingWithRunningIsRefused() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let location = try fixture.store.resolveRun(run.id.value)
        Expect.error(.invalidValue) { try fixture.store.endRun(location, status: .running) }
        #expect(try fixture.store.run(at: location).record.status == .running)
    }

    @Test func setTagsMerges() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp", tags: ["a": "1", "b": "2"]))
        let location = try fixture.store.resolveRun(run.id.value)
        try fixture.store.setTags(["b": "20", "c": "3"], on: location)
        #expect(try fixture.store.tags(of: location) == ["a": "1", "b": "20", "c": "3"])
        #expect(try Disk.stringMap(run.absoluteFolder + "/tags.json") == ["a": "1", "b": "20", "c": "3"])
        try fixture.store.setTags([:], on: location)
        #expect(try fixture.store.tags(of: location).count == 3)
        Expect.error(.invalidName) { try fixture.store.setTags(["": "x"], on: location) }
        #expect(try fixture.store.tags(of: location) == ["a": "1", "b": "20", "c": "3"])
    }

    @Test func paramsAreWrittenOnce() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp", config: ["lr": 0.1]))
        let location = try fixture.store.resolveRun(run.id.value)
        #expect(try fixture.store.params(of: location) == ["lr": "0.1"])
        // The same value again is fine; a new key is added.
        try fixture.store.setParams(["lr": "0.1", "batch": "32"], on: location)
        #expect(try fixture.store.params(of: location) == ["lr": "0.1", "batch": "32"])
        // Another value for an existing key is a conflict, and nothing of that call is written.
        let error = Expect.error(.conflict) { try fixture.store.setParams(["extra": "1", "lr": "0.2"], on: location) }
        #expect(error?.message.contains("'0.1'") == true && error?.message.contains("'0.2'") == true)
        #expect(try Disk.stringMap(run.absoluteFolder + "/params.json") == ["lr": "0.1", "batch": "32"])
    }

    @Test func tagsAndParamsCanBeSetAfterTheRunEnded() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let location = try fixture.store.resolveRun(run.id.value)
        try fixture.store.endRun(location, status: .finished)
        try fixture.store.setTags(["result": "good"], on: location)
        try fixture.store.setParams(["k": "v"], on: location)
        #expect(try fixture.store.tags(of: location) == ["result": "good"])
        #expect(try fixture.store.params(of: location) == ["k": "v"])
    }
}
