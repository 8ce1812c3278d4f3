import CairnCore
import CairnIndex
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Trash: rm, restore, empty")
struct TrashTests {
    /// A finished run of `experiment` with a file of `bytes` bytes in its folder.
    private func finishedRun(_ store: Store, _ experiment: String, bytes: Int = 1000) throws -> Run {
        let run = try store.createRun(try .plain(experiment))
        try Data(repeating: 7, count: bytes).write(to: URL(fileURLWithPath: run.absoluteFolder + "/weights.bin"))
        return try store.endRun(run, status: .finished)
    }

    private func activeIDs(_ store: Store) async throws -> Set<RunID> {
        Set(try await store.listRuns(RunQuery()).map(\.id))
    }

    @Test func rmHidesARunAndKeepsItsFolder() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let kept = try finishedRun(store, "exp")
        let gone = try finishedRun(store, "exp", bytes: 5000)
        let change = try store.moveToTrash([gone.id.value], force: false, dryRun: false)
        #expect(change.runs.map(\.run) == [gone.id])
        #expect(change.bytes >= 5000)
        #expect(FileManager.default.fileExists(atPath: gone.absoluteFolder + "/weights.bin"))
        #expect(try await activeIDs(store) == [kept.id])
        let trash = try store.trash()
        #expect(trash.runs.map(\.run) == [gone.id])
        #expect(trash.runs[0].deletedAt != nil)
        #expect(trash.runs[0].byExperiment == false)
        #expect(trash.experiments.isEmpty)
    }

    @Test func restoreBringsARunBack() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try finishedRun(store, "exp")
        try store.moveToTrash([run.id.value], force: false, dryRun: false)
        let change = try store.restore([run.id.value])
        #expect(change.runs.map(\.run) == [run.id])
        #expect(try store.trash().runs.isEmpty)
        #expect(try await activeIDs(store) == [run.id])
        Expect.error(.notFound) { try store.restore([run.id.value]) }
    }

    @Test func anExperimentGoesWithItsRunsAndComesBackWithThem() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let a = try finishedRun(store, "vae")
        let b = try finishedRun(store, "vae")
        let other = try finishedRun(store, "gan")
        let change = try store.moveToTrash(["vae"], force: false, dryRun: false)
        #expect(Set(change.runs.map(\.run)) == [a.id, b.id])
        #expect(change.experiments.map(\.name) == ["vae"])
        #expect(try await activeIDs(store) == [other.id])
        #expect(try store.trash().experiments.map(\.runs) == [2])
        // A run of a deleted experiment brings the experiment back, not its other run.
        try store.restore([a.id.value])
        #expect(try store.experiment(named: try ExperimentName("vae")).isDeleted == false)
        #expect(try store.trash().runs.map(\.run) == [b.id])
        try store.moveToTrash(["vae"], force: false, dryRun: false)
        try store.restore(["vae"])
        #expect(try store.trash().runs.isEmpty)
        #expect(try await activeIDs(store) == [a.id, b.id, other.id])
    }

    @Test func emptyRemovesFoldersRegistryEntriesAndAnEmptiedExperiment() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let kept = try finishedRun(store, "exp")
        let gone = try finishedRun(store, "exp", bytes: 4096)
        let all = try finishedRun(store, "old")
        try store.moveToTrash([gone.id.value, "old"], force: false, dryRun: false)
        let change = try store.emptyTrash()
        #expect(Set(change.runs.map(\.run)) == [gone.id, all.id])
        #expect(change.bytes >= 4096)
        #expect(change.experiments.map(\.name) == ["old"])
        #expect(!FileManager.default.fileExists(atPath: gone.absoluteFolder))
        #expect(!FileManager.default.fileExists(atPath: all.absoluteFolder))
        #expect(!FileManager.default.fileExists(atPath: store.registryPath(gone.record.experimentID, gone.id)))
        #expect(try store.experimentIfPresent(named: try ExperimentName("old")) == nil)
        #expect(try store.trash().runs.isEmpty)
        #expect(try await activeIDs(store) == [kept.id])
        Expect.error(.notFound) { try store.run(id: gone.id) }
        #expect(try store.doctor(fix: false).healthy)
        // Nothing is left behind under Cairn's own folders.
        #expect(try FileSystem.list(store.trashNotesFolder).filter { $0.hasSuffix(".json") }.isEmpty)
    }

    @Test func aDryRunChangesNothing() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try finishedRun(store, "exp")
        _ = try finishedRun(store, "other")
        try store.moveToTrash([run.id.value], force: false, dryRun: false)
        let before = TreeSnapshot(URL(fileURLWithPath: store.root))
        let empty = try store.emptyTrash(dryRun: true)
        #expect(empty.runs.map(\.run) == [run.id] && empty.dryRun)
        let rm = try store.moveToTrash(["other"], force: false, dryRun: true)
        #expect(rm.experiments.map(\.name) == ["other"])
        _ = try store.restore([run.id.value], dryRun: true)
        _ = try store.trash()
        let after = TreeSnapshot(URL(fileURLWithPath: store.root))
        #expect(after == before, "\(after.difference(from: before))")
    }

    @Test func anAliveRunIsRefusedWithoutForce() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try store.createRun(try .plain("exp"))  // owned by this process: alive
        Expect.error(.conflict) { try store.moveToTrash([run.id.value], force: false, dryRun: false) }
        #expect(try store.trash().runs.isEmpty)
        try store.moveToTrash([run.id.value], force: true, dryRun: false)
        Expect.error(.conflict) { try store.emptyTrash() }
        #expect(FileManager.default.fileExists(atPath: run.absoluteFolder))
        #expect(try store.emptyTrash(force: true).runs.map(\.run) == [run.id])
        #expect(!FileManager.default.fileExists(atPath: run.absoluteFolder))
    }

    @Test func olderThanKeepsRecentDeletions() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try finishedRun(store, "exp")
        try store.moveToTrash([run.id.value], force: false, dryRun: false)
        #expect(try store.emptyTrash(olderThan: 86_400).runs.isEmpty)
        #expect(FileManager.default.fileExists(atPath: run.absoluteFolder))
        #expect(try store.emptyTrash(olderThan: 0).runs.map(\.run) == [run.id])
    }

    @Test func theServersSoftDeleteIsTheTrash() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let run = try finishedRun(store, "exp")
        try store.deleteRun(run)  // what MLflow's runs/delete does through cairn serve
        #expect(try store.trash().runs.map(\.run) == [run.id])
        try store.restore([run.id.value])
        #expect(try store.run(id: run.id).deletedAt == nil)
    }

    @Test func anUnfinishedRemovalIsFinishedOrUndone() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let renamed = try finishedRun(store, "exp")
        let noted = try finishedRun(store, "exp")
        try store.moveToTrash([renamed.id.value, noted.id.value], force: false, dryRun: false)
        // As a kill leaves them: one folder renamed to its hidden name, one only noted.
        try FileSystem.makeDirectories(store.trashNotesFolder)
        for (run, rename) in [(renamed, true), (noted, false)] {
            var note = TrashTombstone(try store.registryEntry(run.record.experimentID, run.id)!)
            note.tombstone = note.tombstone.replacingOccurrences(of: "-\(getpid())-", with: "-999999999-")
            try AtomicFile.write(try JSONCoding.encode(note), to: store.trashNotesFolder + "/\(run.id).json")
            if rename { try FileManager.default.moveItem(atPath: run.absoluteFolder, toPath: store.absolute(note.tombstone)) }
        }
        let report = try store.doctor(fix: false)
        #expect(report.missingRunFolders.isEmpty)
        #expect(report.abandonedTemporaries.count == 2)
        #expect(try store.finishEmptyingTrash() == [renamed.id])
        #expect(try store.trash().runs.map(\.run) == [noted.id])
        #expect(FileManager.default.fileExists(atPath: noted.absoluteFolder))
        #expect(try store.doctor(fix: false).healthy)
    }
}
