import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// A migration keeps each run's id and tags: records it cannot read stop it before anything moves.
@Suite("Migration: the records it keeps")
struct MigrationRecordsTests {
    /// An adopted legacy tree (two folder checkpoints of one model type) and its store.
    private func adoptedLegacyTree(_ directory: TemporaryDirectory) throws -> (tree: String, store: Store) {
        let tree = directory.appending("tree").path
        for epoch in [1, 2] {
            try Disk.write("weights \(epoch)", to: tree + "/checkpoints/vision_model_checkpoint_\(epoch)/model.pth")
        }
        _ = try Store.adopt(AdoptRequest(tree: tree, layout: "typed-folders-legacy"))
        return (tree, try Store.open(at: tree))
    }

    @Test func unreadableTagsStopTheMigrationBeforeAnythingMoves() throws {
        let directory = try TemporaryDirectory("cairn-kit-migrate")
        let (tree, store) = try adoptedLegacyTree(directory)
        let run = try #require(try store.runs().first).run
        let location = try store.resolveRun(run.id.value)
        try store.setTags(["team": "vision"], on: location)
        let tagsPath = try store.runFilePath(location, .tags)
        try Disk.write("{not json", to: tagsPath)
        let before = Disk.tree(tree + "/checkpoints")

        let error = Expect.error(.corrupt) {
            try store.migrate(to: "typed-folders", mapping: FieldMapping(), dryRun: false)
        }
        #expect(error?.message.contains("run \(run.id)") == true)
        #expect(error?.message.contains(tagsPath) == true)
        #expect(error?.hint?.contains("migrate again") == true)
        #expect(Disk.tree(tree + "/checkpoints") == before)
        #expect(!store.hasUnfinishedMigration)

        // Once the file is repaired, the migration goes ahead.
        try Disk.write(#"{"team": "vision"}"#, to: tagsPath)
        let report = try store.migrate(to: "typed-folders", mapping: FieldMapping(), dryRun: false)
        #expect(report.executed && report.moved == 2)
        #expect(Disk.exists(tree + "/checkpoints/vision/vision_model_checkpoint_1/model.pth"))
    }
}
