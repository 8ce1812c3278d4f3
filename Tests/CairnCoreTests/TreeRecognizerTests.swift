import CairnCore
import CairnTestSupport
import Testing

/// The recognizer, the run ids of adopted runs, field mapping and the migration planner, on paths alone.
@Suite("Tree recognition and migration planning")
struct TreeRecognizerTests {
    @Test func lightningAndHuggingFaceTrees() throws {
        let lightning = [
            "lightning_logs/version_0/checkpoints/epoch=4-step=500.ckpt",
            "lightning_logs/version_0/checkpoints/last.ckpt",
            "lightning_logs/version_0/hparams.yaml",
            "lightning_logs/version_0/metrics.csv",
            "lightning_logs/version_0/events.out.tfevents.1700000000.gpu-1.4242.0",
            "lightning_logs/version_1/checkpoints/epoch=0-step=100.ckpt",
            "notes.txt",
        ]
        let ranked = TreeRecognizer.rank(lightning, layouts: BuiltinLayouts.all)
        #expect(ranked[0].layout == "lightning")
        #expect(ranked[0].runs.map(\.folder) == ["lightning_logs/version_0", "lightning_logs/version_1"])
        #expect(ranked[0].unexplained == ["notes.txt"])
        let checkpoint = try #require(ranked[0].runs[0].files.first { $0.role == .checkpoint })
        #expect(checkpoint.fields["epoch"] == 4 && checkpoint.fields["step"] == 500)

        let hf = [
            "out/bert-ft/checkpoint-500/model.safetensors",
            "out/bert-ft/checkpoint-500/trainer_state.json",
            "out/bert-ft/checkpoint-1000/model.safetensors",
            "out/bert-ft/model.safetensors",
            "out/bert-ft/config.json",
            "out/bert-ft/runs/Nov23_05-51-20_gpu-1/events.out.tfevents.1700000000.gpu-1.4242.0",
        ]
        let recognition = TreeRecognizer.recognize(hf, layout: try #require(BuiltinLayouts.named("huggingface")))
        #expect(recognition.unexplained.isEmpty)
        #expect(recognition.runs.map(\.folder) == ["out/bert-ft"])
        let items = recognition.runs[0].items(.checkpoint)
        #expect(Set(items.keys) == ["checkpoint-500", "checkpoint-1000"])
        #expect(items["checkpoint-500"]?.count == 2)
        #expect(recognition.runs[0].files.contains { $0.role == .last && $0.path == "model.safetensors" })
    }

    @Test func adoptedRunIDsAreUniqueValidAndStable() throws {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let count = Int(random.next() % 30) + 1
            let folders = (0..<count).map { _ in
                (0..<Int(random.next() % 3 + 1)).map { _ in ["a", "b", "run 1", "é", "x-y"][Int(random.next() % 5)] }.joined(separator: "/")
            }
            let unique = Array(Set(folders)).sorted()
            let taken: Set<String> = ["a", "b-2"]
            let ids = AdoptedRunIDs.assign(folders: unique, fields: unique.map { _ in LayoutFields() }, taken: taken)
            #expect(Set(ids.map(\.value)).count == unique.count)
            #expect(ids.allSatisfy { !taken.contains($0.value) })
            #expect(ids == AdoptedRunIDs.assign(folders: unique, fields: unique.map { _ in LayoutFields() }, taken: taken))
        }
        let named = AdoptedRunIDs.assign(folders: ["x/RUN_1", "y/RUN_1"], fields: [["run_id": "RUN_1"], ["run_id": "RUN_1"]])
        #expect(named.map(\.value) == ["RUN_1", "RUN_1-2"])
    }

    @Test func fieldMappingRenamesThenUsesTheVocabulary() throws {
        let mapping = try FieldMapping(pairs: ["exp_tag=name"])
        let mapped = mapping.apply(["arch": "resnet18", "exp_tag": "baseline", "global_step": 5], targetNames: ["model_type", "name", "step"])
        #expect(mapped["model_type"] == "resnet18" && mapped["name"] == "baseline" && mapped["step"] == 5)
        for bad in ["exp_tag", "=x", "a=b=c", "1a=b", "a=b c"] {
            #expect(throws: CairnError.self) { try FieldMapping(pairs: [bad]) }
        }
        #expect(throws: CairnError.self) { try FieldMapping(pairs: ["a=b", "a=c"]) }
    }

    @Test func plannerReportsCollisionsUnmappableFilesAndTakenTargets() throws {
        let source = try #require(BuiltinLayouts.named("run-dirs"))
        let paths = ["checkpoints/exp/RUN_20240101_000000_000001/ckpt_epoch_1.pth",
                     "checkpoints/exp/RUN_20240101_000000_000001/average_model.pth",
                     "checkpoints/exp/RUN_20240102_000000_000001/ckpt_epoch_1.pth"]
        let recognition = TreeRecognizer.recognize(paths, layout: source)
        // model-type-experiments without its average role: a layout that lacks a checkpoint kind.
        let target = try Layout(name: "model-type-no-average", summary: "", templates: [
            "experiment_name": "{model_type}/{name}", "experiment": "experiments/{model_type}/{name}", "run": "experiments/{model_type}/{name}",
            "checkpoint": "checkpoints/epoch_{epoch:03}.pt", "best": "checkpoints/best_model.pt", "last": "checkpoints/last_model.pt",
        ])
        let plan = MigrationPlanner.plan(recognition, from: source, to: target, mapping: try FieldMapping(pairs: ["experiment=model_type"]),
                                         existing: Set(paths))
        #expect(!plan.isExecutable)
        // Without a name field the target cannot name the runs' checkpoints at all: one cause, two files.
        let groups = plan.problemGroups
        #expect(groups.count == 1 && groups[0].count == 2, "\(groups)")
        #expect(groups.first?.cause.contains("names a 'checkpoint' by its 'name'") == true, "\(groups)")
        // A checkpoint kind the target lacks is no problem: it would move with its run, which has no place here.
        #expect(plan.leftInPlace.contains("checkpoints/exp/RUN_20240101_000000_000001/average_model.pth"))

        let own = try Layout(name: "flat", summary: "", templates: [
            "experiment_name": "{experiment}", "experiment": "{experiment}", "run": "{experiment}",
            "checkpoint": "epoch_{epoch:int}.pth",
        ])
        let collide = MigrationPlanner.plan(recognition, from: source, to: own, mapping: FieldMapping(), existing: Set(paths))
        #expect(collide.problems.contains { $0.detail?.contains("would both become exp/epoch_1.pth") == true })
        #expect(collide.problemGroups.count == 1)

        let same = MigrationPlanner.plan(recognition, from: source, to: source, mapping: FieldMapping(), existing: Set(paths))
        #expect(same.isExecutable && same.moves.isEmpty && same.unchanged == 3)
    }
}
