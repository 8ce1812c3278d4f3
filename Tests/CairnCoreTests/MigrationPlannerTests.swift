import Testing
@testable import CairnCore

/// The planner on its own: what it derives to name files in Cairn's layout, where the files a target
/// has no name for go, origins, links, and what it refuses (a file that would change what it is).
@Suite("Migration planner")
struct MigrationPlannerTests {
    static let run = "checkpoints/resnet18/baseline/train-P007/val-P12a"
    static let paths = [run + "/checkpoint_3_300.pt", run + "/checkpoint_best_score_0.912345678.pt",
                        run + "/checkpoint_last.pt", run + "/notes.txt", "checkpoints/README.md"]

    static func toCairn(_ context: MigrationContext = MigrationContext(), paths: [String] = paths) throws -> MigrationPlan {
        let source = try #require(BuiltinLayouts.named("prompt-tree"))
        var context = context
        context.runFields[run] = ["run_id": "val-P12a"]
        return MigrationPlanner.plan(TreeRecognizer.recognize(paths, layout: source), from: source, to: BuiltinLayouts.cairn,
                                     mapping: FieldMapping(), context: context, existing: Set(paths))
    }

    @Test func cairnsLayoutNamesRunsByIdAndExperimentAndKeepsExtensions() throws {
        let plan = try Self.toCairn()
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        let targets = Dictionary(uniqueKeysWithValues: plan.moves.map { ($0.source, $0.target) })
        let folder = "resnet18/baseline/val-P12a"
        #expect(targets[Self.run + "/checkpoint_3_300.pt"] == folder + "/checkpoints/epoch_0003-step_00000300.pt")
        #expect(targets[Self.run + "/checkpoint_last.pt"] == folder + "/checkpoints/last.pt")
        #expect(targets[Self.run + "/checkpoint_best_score_0.912345678.pt"] == folder + "/checkpoints/best_score_0.912345678.pt")
        // A stray note moves with the run, as it was named.
        #expect(targets[Self.run + "/notes.txt"] == folder + "/notes.txt")
        #expect(plan.extras == [Self.run + "/notes.txt"])
        #expect(plan.leftInPlace == ["checkpoints/README.md"])
        #expect(plan.runFolders == [Self.run: folder])
    }

    @Test func aCheckpointKindTheTargetLacksMovesWithItsRun() throws {
        let source = try #require(BuiltinLayouts.named("prompt-tree"))
        let plain = try Layout(name: "plain", summary: "", templates: [
            "experiment_name": "{experiment:path}", "experiment": "{experiment:path}", "run": "{experiment:path}/{run_id}",
            "checkpoint": "ckpt_{epoch:int}_{step:int}.pt", "last": "last.pt",
        ])
        var context = MigrationContext()
        context.runFields[Self.run] = ["run_id": "val-P12a"]
        let plan = MigrationPlanner.plan(TreeRecognizer.recognize(Self.paths, layout: source), from: source, to: plain,
                                         mapping: FieldMapping(), context: context, existing: Set(Self.paths))
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        let targets = Dictionary(uniqueKeysWithValues: plan.moves.map { ($0.source, $0.target) })
        #expect(targets[Self.run + "/checkpoint_best_score_0.912345678.pt"] == "resnet18/baseline/val-P12a/checkpoint_best_score_0.912345678.pt")
        #expect(Set(plan.extras) == [Self.run + "/checkpoint_best_score_0.912345678.pt", Self.run + "/notes.txt"])
    }

    @Test func filesGoBackToTheirOrigins() throws {
        var context = MigrationContext()
        let folder = "resnet18/baseline/val-P12a"
        let paths = [folder + "/checkpoints/epoch_0003-step_00000300.pt", folder + "/notes.txt"]
        context.origins = [paths[0]: Self.run + "/checkpoint_3_300.pt", paths[1]: Self.run + "/notes.txt"]
        let plan = MigrationPlanner.plan(TreeRecognizer.recognize(paths, layout: BuiltinLayouts.cairn), from: BuiltinLayouts.cairn,
                                         to: try #require(BuiltinLayouts.named("prompt-tree")), mapping: FieldMapping(),
                                         context: context, existing: Set(paths))
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(Set(plan.moves.map(\.target)) == Set(context.origins.values))
    }

    @Test func linksAreRewrittenToNameTheSameFile() throws {
        var context = MigrationContext()
        context.links[Self.run + "/checkpoint_last.pt"] = ("checkpoint_3_300.pt", Self.run + "/checkpoint_3_300.pt")
        // A link outside the run that names a file inside it, and one that leaves the tree.
        context.links["latest.pt"] = (Self.run + "/checkpoint_3_300.pt", Self.run + "/checkpoint_3_300.pt")
        context.links[Self.run + "/notes.txt"] = ("/etc/hostname", nil)
        let plan = try Self.toCairn(context, paths: Self.paths + ["latest.pt"])
        let moves = Dictionary(uniqueKeysWithValues: plan.moves.map { ($0.source, $0) })
        #expect(moves[Self.run + "/checkpoint_last.pt"]?.link == .init(from: "checkpoint_3_300.pt", to: "epoch_0003-step_00000300.pt"))
        #expect(moves["latest.pt"] == MigrationMove(source: "latest.pt", target: "latest.pt",
                                                   link: .init(from: Self.run + "/checkpoint_3_300.pt",
                                                               to: "resnet18/baseline/val-P12a/checkpoints/epoch_0003-step_00000300.pt")))
        #expect(moves[Self.run + "/notes.txt"]?.link == nil)
    }

    @Test func aLinkToAFolderThatMovesWholeFollowsIt() throws {
        let source = try #require(BuiltinLayouts.named("typed-folders"))
        let paths = ["checkpoints/vision/vision_model_checkpoint_3/model.pth", "checkpoints/vision/vision_model_checkpoint_3/config.json"]
        var context = MigrationContext()
        context.runFields["checkpoints/vision"] = ["run_id": "vision"]
        context.links["checkpoints/vision/newest"] = ("vision_model_checkpoint_3", "checkpoints/vision/vision_model_checkpoint_3")
        let plan = MigrationPlanner.plan(TreeRecognizer.recognize(paths, layout: source), from: source, to: BuiltinLayouts.cairn,
                                         mapping: FieldMapping(), context: context, existing: Set(paths))
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        let link = plan.moves.first { $0.source == "checkpoints/vision/newest" }
        #expect(link == MigrationMove(source: "checkpoints/vision/newest", target: "checkpoints/vision/newest",
                                      link: .init(from: "vision_model_checkpoint_3", to: "../../vision/vision/checkpoints/epoch_0003")))
    }

    @Test func aFileIsNeverRenamedToAnotherFormat() throws {
        let source = try #require(BuiltinLayouts.named("prompt-tree"))
        let paths = [Self.run + "/checkpoint_last.pt", Self.run + "/checkpoint_3_300.pt"]
        var context = MigrationContext()
        context.contentKind = { _ in .zip }
        let plan = MigrationPlanner.plan(TreeRecognizer.recognize(paths, layout: source), from: source,
                                         to: try #require(BuiltinLayouts.named("huggingface")), mapping: try FieldMapping(pairs: ["arch=experiment"]),
                                         context: context, existing: Set(paths))
        let cause = plan.problemGroups.first { $0.cause.contains("never changes what a file is") }
        #expect(cause?.paths == [Self.run + "/checkpoint_last.pt"], "\(plan.problemGroups)")
        #expect(cause?.example.contains("model.safetensors") == true)
        // A file that holds safetensors may take the name.
        context.contentKind = { _ in .safetensors }
        let allowed = MigrationPlanner.plan(TreeRecognizer.recognize(paths, layout: source), from: source,
                                            to: try #require(BuiltinLayouts.named("huggingface")), mapping: try FieldMapping(pairs: ["arch=experiment"]),
                                            context: context, existing: Set(paths))
        #expect(!allowed.problems.contains { $0.cause.contains("never changes") })
    }

    @Test func problemsGroupByCause() throws {
        let source = try #require(BuiltinLayouts.named("typed-folders-legacy"))
        let paths = (1...12).map { "checkpoints/best_model/file_\($0).pth" } + ["checkpoints/vision_model_checkpoint_1/model.pth"]
        var context = MigrationContext()
        context.missingFieldCause = { item, field in item == "checkpoints/best_model" && field == "model_type" ? "its config.json has no 'model_type'" : nil }
        let plan = MigrationPlanner.plan(TreeRecognizer.recognize(paths, layout: source), from: source,
                                         to: try #require(BuiltinLayouts.named("typed-folders")), mapping: FieldMapping(),
                                         context: context, existing: Set(paths))
        let groups = plan.problemGroups
        #expect(groups.count == 1 && groups[0].count == 12, "\(groups)")
        #expect(groups[0].cause.contains("its config.json has no 'model_type'"))
    }

    @Test func contentKindsComeFromTheFirstBytes() {
        #expect(ContentKind.sniff([0x93] + Array("NUMPY".utf8) + [1, 0], size: 100) == .numpy)
        #expect(ContentKind.sniff(Array("PK".utf8) + [3, 4, 0, 0], size: 100) == .zip)
        #expect(ContentKind.sniff([0x80, 2, 0x7D], size: 100) == .pickle)
        let header = Array("{\"a\":1}".utf8)
        #expect(ContentKind.sniff([UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header, size: 8 + header.count) == .safetensors)
        #expect(ContentKind.sniff([200, 0, 0, 0, 0, 0, 0, 0] + header, size: 8 + header.count) == .other)
        #expect(ContentKind.sniff([], size: 0) == .other)
        #expect(ContentKind.sniff(Array("{\"x\"".utf8), size: 4) == .other)
        for (name, ext) in [("a.pt", ".pt"), ("x/model.safetensors", ".safetensors"), ("b.tar.gz", ".tar.gz"), ("best_model", ""),
                            (".hidden", ""), ("score_0.9123.pt", ".pt"), ("name.", ""), ("a.b c", "")] {
            #expect(ContentKind.fileExtension(of: name) == ext, "\(name)")
        }
    }

    @Test func treePathsResolveAndRelate() {
        #expect(TreePath.relative(from: "a/b", to: "a/c/d.pt") == "../c/d.pt")
        #expect(TreePath.relative(from: ".", to: "a/b.pt") == "a/b.pt")
        #expect(TreePath.relative(from: "a/b", to: "a/b/c.pt") == "c.pt")
        #expect(TreePath.resolve("../c/./d.pt", in: "a/b") == "a/c/d.pt")
        #expect(TreePath.resolve("../../../x", in: "a/b") == nil)
        #expect(TreePath.resolve("/etc/passwd", in: "a") == nil)
        for (folder, target) in [("a/b/c", "a/x/y.pt"), (".", "z.pt"), ("a", "a/b/c/d.pt"), ("q/r", "s/t.pt")] {
            #expect(TreePath.resolve(TreePath.relative(from: folder, to: target), in: folder) == target)
        }
    }
}
