import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// A typed-folders tree half way through moving from the old flat form (some checkpoint folders in
/// `checkpoints/`, others already in `checkpoints/MODEL_TYPE/`) is one store, and migrating it finishes
/// the move; a tree wholly in either form is detected as that form.
@Suite("Adoption: a half-migrated typed-folders tree")
struct HalfMigratedTreeTests {
    static func folder(_ path: String, type: String, in root: String) throws {
        try Disk.write("weights of \(path)", to: root + "/" + path + "/model.pth")
        try Disk.write("{\"model_type\": \"\(type)\"}\n", to: root + "/" + path + "/config.json")
    }

    @Test func bothFormsAreOneStoreAndMigratingFinishesTheMove() throws {
        let directory = try TemporaryDirectory("cairn-half-migrated")
        let root = directory.appending("tree").path
        try Self.folder("checkpoints/vision_model_checkpoint_1", type: "vision", in: root)
        try Self.folder("checkpoints/best_model", type: "vision", in: root)
        try Self.folder("checkpoints/vision/vision_model_checkpoint_2", type: "vision", in: root)
        try Self.folder("checkpoints/memory/memory_model_checkpoint_5", type: "memory", in: root)
        try Self.folder("checkpoints/memory/best_model", type: "memory", in: root)
        let report = try Store.adopt(AdoptRequest(tree: root, layout: "auto"))
        #expect(report.layout == "typed-folders-legacy")
        #expect(report.recognition.unexplained.isEmpty, "\(report.recognition.unexplained)")
        let store = try Store.open(at: root)
        let run = try #require(try store.runs().first?.run)
        #expect(try RunCheckpoints.view(store: store, run: run).kept.count == 5)

        let migrated = try store.migrate(to: "typed-folders", mapping: FieldMapping(), dryRun: false)
        #expect(migrated.plan.problems.isEmpty, "\(migrated.plan.problemGroups)")
        #expect(migrated.moved == 4)  // the two flat folders; the typed ones are in place
        let after = try Store.open(at: root)
        #expect(Set(try after.runs().map(\.run.folder)) == ["checkpoints/vision", "checkpoints/memory"])
        #expect(Disk.exists(root + "/checkpoints/vision/vision_model_checkpoint_1/model.pth"))
        #expect(Disk.exists(root + "/checkpoints/vision/best_model/model.pth"))
    }

    @Test func aTreeWhollyInOneFormIsThatForm() throws {
        let typed = try TemporaryDirectory("cairn-typed-only")
        try Self.folder("checkpoints/vision/vision_model_checkpoint_2", type: "vision", in: typed.appending("tree").path)
        try Self.folder("checkpoints/vision/best_model", type: "vision", in: typed.appending("tree").path)
        #expect(try Store.adopt(AdoptRequest(tree: typed.appending("tree").path, layout: "auto")).layout == "typed-folders")
        let flat = try TemporaryDirectory("cairn-flat-only")
        try Self.folder("checkpoints/vision_model_checkpoint_2", type: "vision", in: flat.appending("tree").path)
        try Self.folder("checkpoints/best_model", type: "vision", in: flat.appending("tree").path)
        #expect(try Store.adopt(AdoptRequest(tree: flat.appending("tree").path, layout: "auto")).layout == "typed-folders-legacy")
    }
}
