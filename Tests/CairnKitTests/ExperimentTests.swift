import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Experiments")
struct ExperimentTests {
    @Test func groupedNamesGetFoldersAndIdsInOrder() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let first = try store.createExperiment(ExperimentName("vae/baseline"))
        let second = try store.createExperiment(ExperimentName("vae/large"))
        let third = try store.createExperiment(ExperimentName("gan"))
        #expect([first.id, second.id, third.id] == [ExperimentID(1), ExperimentID(2), ExperimentID(3)])
        #expect(try store.experiments().map(\.name.description) == ["gan", "vae/baseline", "vae/large"])
        #expect(Disk.isDirectory(fixture.root + "/vae/baseline"))
        #expect(Disk.isDirectory(fixture.root + "/vae/large"))
        #expect(Disk.isDirectory(fixture.root + "/gan"))
        #expect(try store.experimentFolder(first) == "vae/baseline")
        // The record is on disk under its id.
        let record = try Disk.jsonObject(fixture.root + "/.cairn/experiments/2/experiment.json")
        #expect(record["name"] as? String == "vae/large")
        #expect(record["id"] as? String == "2")
        #expect(try store.experiment(named: ExperimentName("vae/large")) == second)
        #expect(try store.experiment(id: ExperimentID(3)) == third)
        // A store opened afresh sees the same and goes on counting.
        let reopened = try Store.open(at: fixture.root)
        #expect(try reopened.createExperiment(ExperimentName("vae/small")).id == ExperimentID(4))
    }

    /// A creation killed midway leaves its staging folder; it is never read as an experiment and the
    /// next creation removes it (a live process's is kept).
    @Test func aKilledCreationsStagingIsRemovedByTheNext() throws {
        let fixture = try StoreFixture()
        try fixture.store.createExperiment(ExperimentName("first"))
        let gone = try TestProcess.run("/bin/sh", ["-c", "echo $$"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let root = fixture.root + "/.cairn/experiments/"
        let abandoned = root + ".cairn-tmp-experiment-2-\(gone)-a1"
        let live = root + ".cairn-tmp-experiment-2-\(getpid())-a2"
        for folder in [abandoned, live] {
            try FileManager.default.createDirectory(atPath: folder + "/runs", withIntermediateDirectories: true)
            try Data(#"{"id": "2", "name": "half", "created_at": "2026-11-23T00:00:00Z"}"#.utf8).write(to: URL(fileURLWithPath: folder + "/experiment.json"))
        }
        #expect(try fixture.store.experiments().map(\.name.description) == ["first"])
        let second = try fixture.store.createExperiment(ExperimentName("second"))
        #expect(second.id == ExperimentID(2))
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(try fixture.store.experiments().map(\.name.description) == ["first", "second"])
    }

    @Test func anUnknownNameIsNotFound() throws {
        let fixture = try StoreFixture()
        let empty = Expect.error(.notFound) { try fixture.store.experiment(named: ExperimentName("vae/baseline")) }
        #expect(empty?.message.contains("vae/baseline") == true)
        try fixture.store.createExperiment(ExperimentName("vae/baseline"))
        let other = Expect.error(.notFound) { try fixture.store.experiment(named: ExperimentName("gan")) }
        #expect(other?.hint?.contains("group") == false)
        Expect.error(.notFound) { try fixture.store.experiment(id: ExperimentID(9)) }
        #expect(try fixture.store.experimentIfPresent(named: ExperimentName("gan")) == nil)
    }

    @Test func theHintSaysWhenTheNameIsAGroup() throws {
        let fixture = try StoreFixture()
        try fixture.store.createExperiment(ExperimentName("vae/baseline"))
        try fixture.store.createExperiment(ExperimentName("vae/large"))
        let error = Expect.error(.notFound) { try fixture.store.experiment(named: ExperimentName("vae")) }
        let hint = try #require(error?.hint)
        #expect(hint.contains("group"))
        #expect(hint.contains("vae/baseline") && hint.contains("vae/large"))
    }

    @Test(arguments: [("vae/baseline", "vae"), ("gan", "gan/extra"), ("a/b", "a/b/c/d"), ("a/b/c", "a")])
    func groupAndExperimentCannotClash(_ existing: String, _ clashing: String) throws {
        let fixture = try StoreFixture()
        try fixture.store.createExperiment(ExperimentName(existing))
        let before = Disk.tree(fixture.root)
        Expect.error(.conflict) { try fixture.store.createExperiment(ExperimentName(clashing)) }
        #expect(Disk.tree(fixture.root) == before)
        #expect(try fixture.store.experiments().count == 1)
    }

    @Test func similarPrefixesAreNotGroups() throws {
        let fixture = try StoreFixture()
        try fixture.store.createExperiment(ExperimentName("vae"))
        // "vae2" and "vae-x/y" only share characters with "vae"; they are not inside it.
        try fixture.store.createExperiment(ExperimentName("vae2"))
        try fixture.store.createExperiment(ExperimentName("vae-x/y"))
        #expect(try fixture.store.experiments().count == 3)
    }

    @Test func aDuplicateIsAlreadyExistsAndWritesNothing() throws {
        let fixture = try StoreFixture()
        let original = try fixture.store.createExperiment(ExperimentName("vae/baseline"))
        let before = Disk.tree(fixture.root)
        let error = Expect.error(.alreadyExists) { try fixture.store.createExperiment(ExperimentName("vae/baseline")) }
        #expect(error?.message.contains("id 1") == true)
        #expect(Disk.tree(fixture.root) == before)
        #expect(try fixture.store.experimentCreatingIfNeeded(ExperimentName("vae/baseline")) == original)
        #expect(Disk.tree(fixture.root) == before)
    }

    @Test func aNameTheLayoutCannotTakeWritesNothing() throws {
        let fixture = try StoreFixture(layoutName: "prompt-tree")
        let before = Disk.tree(fixture.root)
        Expect.error(.layout) { try fixture.store.createExperiment(ExperimentName("resnet18")) }
        #expect(Disk.tree(fixture.root) == before)
        #expect(try fixture.store.experiments().isEmpty)
    }

    @Test func noStagingFoldersAreLeftBehind() throws {
        let fixture = try StoreFixture()
        for name in ["a/x", "a/y", "b"] { try fixture.store.createExperiment(ExperimentName(name)) }
        let listing = try FileManager.default.contentsOfDirectory(atPath: fixture.root + "/.cairn/experiments").sorted()
        #expect(listing == ["1", "2", "3"])
        #expect(try fixture.store.experiments().map(\.id.value) == [1, 2, 3])
    }
}
