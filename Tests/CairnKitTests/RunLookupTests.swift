#if canImport(Glibc)
import Glibc
#endif
import CairnCore
import CairnTestSupport
import Foundation
import Logging
import Testing
@testable import CairnKit

@Suite("Runs: resolving references and the latest pointer")
struct RunLookupTests {
    /// Two runs of one experiment, the one with the smaller id first, and the longest prefix their ids
    /// share (never empty: both start with "20").
    private func twoRuns(_ store: Store) throws -> (Run, Run, String) {
        let first = try store.createRun(try .plain("vae/baseline"))
        let second = try store.createRun(try .plain("vae/baseline"))
        let (a, b) = first.id < second.id ? (first, second) : (second, first)
        let common = String(zip(a.id.value, b.id.value).prefix { $0 == $1 }.map(\.0))
        return (a, b, common)
    }

    @Test func aFullIdResolves() throws {
        let fixture = try StoreFixture()
        let (a, b, _) = try twoRuns(fixture.store)
        for run in [a, b] {
            let location = try fixture.store.resolveRun(run.id.value)
            #expect(location.id == run.id)
            #expect(location.folder == run.folder)
            #expect(try fixture.store.run(run.id.value) == run)
        }
    }

    @Test func aUniquePrefixResolves() throws {
        let fixture = try StoreFixture()
        let (a, b, common) = try twoRuns(fixture.store)
        for run in [a, b] {
            let prefix = String(run.id.value.prefix(common.count + 1))
            #expect(try fixture.store.resolveRun(prefix).id == run.id)
        }
    }

    @Test func anAmbiguousPrefixListsTheCandidates() throws {
        let fixture = try StoreFixture()
        let (a, b, common) = try twoRuns(fixture.store)
        #expect(!common.isEmpty)
        let error = Expect.error(.ambiguous) { try fixture.store.resolveRun(common) }
        let message = try #require(error?.message)
        #expect(message.contains(a.id.value) && message.contains(b.id.value))
        #expect(message.contains("2 runs"))
        #expect(message.contains("vae/baseline"))
    }

    @Test func unknownAndInvalidReferences() throws {
        let fixture = try StoreFixture()
        _ = try twoRuns(fixture.store)
        let error = Expect.error(.notFound) { try fixture.store.resolveRun("19990101-000000") }
        #expect(error?.message.contains("19990101-000000") == true)
        Expect.error(.invalidName) { try fixture.store.resolveRun("a/b") }
        Expect.error(.invalidName) { try fixture.store.resolveRun("") }
        // "latest" needs an experiment; without one it is just a reference that matches nothing.
        Expect.error(.notFound) { try fixture.store.resolveRun("latest") }
    }

    @Test func lookupsInOneExperimentIgnoreOthers() throws {
        let fixture = try StoreFixture()
        let other = try fixture.store.createRun(try .plain("other"))
        let mine = try fixture.store.createRun(try .plain("mine"))
        let experiment = try fixture.store.experiment(named: ExperimentName("mine"))
        #expect(try fixture.store.resolveRun(mine.id.value, in: experiment).id == mine.id)
        Expect.error(.notFound) { try fixture.store.resolveRun(other.id.value, in: experiment) }
        #expect(try fixture.store.resolveRun(other.id.value).id == other.id)
    }

    @Test func latestNamesTheNewestRun() throws {
        let fixture = try StoreFixture()
        let experiment = try fixture.store.createExperiment(ExperimentName("vae/baseline"))
        let none = Expect.error(.notFound) { try fixture.store.resolveRun("latest", in: experiment) }
        #expect(none?.message.contains("no runs") == true)
        #expect(try fixture.store.latestRun(in: experiment) == nil)
        var ids: [RunID] = []
        for _ in 0..<4 { ids.append(try fixture.store.createRun(try .plain("vae/baseline")).id) }
        #expect(try fixture.store.resolveRun("latest", in: experiment).id == ids.max())
        #expect(try fixture.store.latestRun(in: experiment)?.id == ids.max())
    }

    /// A temporary left by a writer of `latest` that was killed is removed when the pointer next moves.
    @Test func movingThePointerRemovesAKilledWritersTemporary() throws {
        let fixture = try StoreFixture()
        let experiment = try fixture.store.createExperiment(ExperimentName("vae/baseline"))
        _ = try fixture.store.createRun(try .plain("vae/baseline"))
        let gone = try TestProcess.run("/bin/sh", ["-c", "echo $$"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let temporary = fixture.root + "/.cairn/experiments/\(experiment.id)/.cairn-tmp-latest-\(gone)-q1"
        try Disk.write("20000101-", to: temporary)
        let newer = try fixture.store.createRun(try .plain("vae/baseline"))
        #expect(!FileManager.default.fileExists(atPath: temporary))
        #expect(try fixture.store.latestRun(in: experiment)?.id == newer.id)
    }

    @Test func latestFollowsThePointer() throws {
        let fixture = try StoreFixture()
        let (a, _, _) = try twoRuns(fixture.store)
        let experiment = try fixture.store.experiment(named: ExperimentName("vae/baseline"))
        // The pointer, not a scan, decides when it was written after the registry last changed: point
        // it at the older run (a clock tick later: file times are coarse) and latest follows.
        usleep(30_000)
        try Disk.write(a.id.value + "\n", to: fixture.root + "/.cairn/experiments/\(experiment.id)/latest")
        #expect(try fixture.store.latestRun(in: experiment)?.id == a.id)
    }

    /// A damaged pointer (not even a run id) is warned about, and readers scan and repair it.
    @Test func aDamagedPointerIsWarnedAboutAndRepaired() throws {
        let records = LogRecords()
        let fixture = try StoreFixture(logger: records.logger)
        let (_, b, _) = try twoRuns(fixture.store)
        let experiment = try fixture.store.experiment(named: ExperimentName("vae/baseline"))
        let pointer = fixture.root + "/.cairn/experiments/\(experiment.id)/latest"
        usleep(30_000)
        try Disk.write("no/such/id\n", to: pointer)
        #expect(try fixture.store.latestRun(in: experiment)?.id == b.id)
        #expect(records.warnings.count == 1)
        #expect(records.warnings.first?.message.contains("the latest pointer '\(pointer)' names no usable run") == true)
        #expect(records.warnings.first?.metadata["path"] == "\(pointer)")
        #expect(try Disk.text(pointer) == b.id.value + "\n")
        // Repaired: the next reader follows it without a warning.
        #expect(try fixture.store.latestRun(in: experiment)?.id == b.id)
        #expect(records.warnings.count == 1)
    }

    /// A creation killed while it wrote its registry entry left a temporary in `runs/`, which changed
    /// the folder after the pointer: the reader's repair removes it.
    @Test func aRepairRemovesARegistryTemporaryOfAKilledCreation() throws {
        let fixture = try StoreFixture()
        let (_, b, _) = try twoRuns(fixture.store)
        let experiment = try fixture.store.experiment(named: ExperimentName("vae/baseline"))
        usleep(30_000)
        let gone = try TestProcess.run("/bin/sh", ["-c", "echo $$"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let temporary = fixture.root + "/.cairn/experiments/\(experiment.id)/runs/.cairn-tmp-20990101-000000-000-abcd.json-\(gone)-t7"
        try Disk.write("{", to: temporary)
        #expect(try fixture.store.latestRun(in: experiment)?.id == b.id)
        #expect(!FileManager.default.fileExists(atPath: temporary))
    }

    /// A creation killed after it registered its run but before it moved `latest`: the registry changed
    /// after the pointer, so readers scan it, find the newer run and repair the pointer.
    @Test func aPointerOlderThanTheRegistryIsRepaired() throws {
        let fixture = try StoreFixture()
        let (a, b, _) = try twoRuns(fixture.store)
        let experiment = try fixture.store.experiment(named: ExperimentName("vae/baseline"))
        let pointer = fixture.root + "/.cairn/experiments/\(experiment.id)/latest"
        let registry = fixture.root + "/.cairn/experiments/\(experiment.id)/runs"
        // As the killed creation left it: the pointer names the run before, and the registry got its
        // entry afterwards (a tick later).
        try Disk.write(a.id.value + "\n", to: pointer)
        usleep(30_000)
        let entry = registry + "/\(b.id.value).json"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: entry))
        try FileManager.default.removeItem(atPath: entry)
        try bytes.write(to: URL(fileURLWithPath: entry))
        #expect(try fixture.store.latestRun(in: experiment)?.id == b.id)
        #expect(try Disk.text(pointer) == b.id.value + "\n")
        #expect(try fixture.store.resolveRun("latest", in: experiment).id == b.id)
    }

    @Test(arguments: ["deleted", "stale", "garbage", "empty"])
    func aMissingOrStalePointerIsRepaired(_ damage: String) throws {
        let fixture = try StoreFixture()
        let (_, b, _) = try twoRuns(fixture.store)
        let experiment = try fixture.store.experiment(named: ExperimentName("vae/baseline"))
        let pointer = fixture.root + "/.cairn/experiments/\(experiment.id)/latest"
        switch damage {
        case "deleted": try FileManager.default.removeItem(atPath: pointer)
        case "stale": try Disk.write("20000101-000000-000-zzzz\n", to: pointer)
        case "garbage": try Disk.write("not/a run id\n", to: pointer)
        default: try Disk.write("", to: pointer)
        }
        #expect(try fixture.store.latestRun(in: experiment)?.id == b.id)
        #expect(try Disk.text(pointer) == b.id.value + "\n")
        #expect(try fixture.store.resolveRun("latest", in: experiment).id == b.id)
    }

    @Test func aPointerToARemovedRunFallsBackToTheNewestLeft() throws {
        let fixture = try StoreFixture()
        let (a, b, _) = try twoRuns(fixture.store)
        let experiment = try fixture.store.experiment(named: ExperimentName("vae/baseline"))
        // b's registry entry goes away (as if the run were removed): latest becomes a.
        try FileManager.default.removeItem(atPath: fixture.root + "/.cairn/experiments/\(experiment.id)/runs/\(b.id).json")
        #expect(try fixture.store.latestRun(in: experiment)?.id == a.id)
        #expect(try Disk.text(fixture.root + "/.cairn/experiments/\(experiment.id)/latest") == a.id.value + "\n")
    }
}
