import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Layouts in the store")
struct StoreLayoutTests {
    @Test func runDirsNamesRunFoldersByStartTime() throws {
        let fixture = try StoreFixture(layoutName: "run-dirs")
        let run = try fixture.store.createRun(try .plain("yolo_nas", config: ["lr": 0.01]))
        let f = run.record.startTime.utcFields
        func p(_ v: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        let stamp = "\(p(f.year, 4))\(p(f.month))\(p(f.day))_\(p(f.hour))\(p(f.minute))\(p(f.second))_\(p(f.millisecond * 1000, 6))"
        #expect(run.folder == "checkpoints/yolo_nas/RUN_" + stamp)
        #expect(run.folder.wholeMatch(of: /checkpoints\/yolo_nas\/RUN_\d{8}_\d{6}_\d{6}/) != nil)
        #expect(Disk.isDirectory(fixture.root + "/" + run.folder))
        #expect(Disk.exists(fixture.root + "/" + run.folder + "/run.json"))
        // The config goes where SuperGradients' Hydra keeps it.
        #expect(Disk.exists(fixture.root + "/" + run.folder + "/.hydra/config.yaml"))
        #expect(run.record.layout == "run-dirs")
        // The log's name carries the start time too.
        let log = try fixture.store.runFilePath(run, .log)
        #expect(Paths.lastComponent(log).wholeMatch(of: /log_[A-Z][a-z]{2}\d{2}_\d{2}_\d{2}_\d{2}\.txt/) != nil, "\(log)")
    }

    @Test func runDirsKeepsManyRunsPerExperiment() throws {
        let fixture = try StoreFixture(layoutName: "run-dirs")
        var folders: Set<String> = []
        for _ in 0..<5 { folders.insert(try fixture.store.createRun(try .plain("exp")).folder) }
        #expect(folders.count == 5)
        #expect(try fixture.store.runs().count == 5)
    }

    @Test func modelTypeExperimentsKeepsOneRunPerExperimentFolder() throws {
        let fixture = try StoreFixture(layoutName: "model-type-experiments")
        let run = try fixture.store.createRun(try .plain("vae/baseline", config: ["lr": 0.1]))
        #expect(run.folder == "experiments/vae/baseline")
        #expect(Disk.exists(fixture.root + "/experiments/vae/baseline/run.json"))
        #expect(Disk.exists(fixture.root + "/experiments/vae/baseline/config.yaml"))
        #expect(!Disk.exists(fixture.root + "/experiments/vae/baseline/.cairn-run-claim"))
        #expect(try fixture.store.runFilePath(run, .log) == fixture.root + "/experiments/vae/baseline/logs/training.log")

        let before = Disk.tree(fixture.root).filter { !$0.hasSuffix("lock") }
        let error = Expect.error(.alreadyExists) { try fixture.store.createRun(try .plain("vae/baseline")) }
        #expect(error?.message.contains("vae/baseline") == true)
        #expect(Disk.tree(fixture.root).filter { !$0.hasSuffix("lock") } == before)
        #expect(try fixture.store.runs().map(\.run.id) == [run.id])
        // Another experiment is another folder.
        #expect(try fixture.store.createRun(try .plain("vae/large")).folder == "experiments/vae/large")
        // A one-component name does not fit {model_type}/{name}.
        Expect.error(.layout) { try fixture.store.createRun(try .plain("vae")) }
    }

    @Test func promptTreeNeedsItsFieldsAndAnArchTagName() throws {
        let fixture = try StoreFixture(layoutName: "prompt-tree")
        let run = try fixture.store.createRun(try .plain("resnet18/baseline",
                                                          layoutFields: ["train_prompt_id": "3", "val_prompt_id": "5"]))
        #expect(run.folder == "checkpoints/resnet18/baseline/train-P3/val-P5")
        #expect(Disk.exists(fixture.root + "/checkpoints/resnet18/baseline/train-P3/val-P5/run.json"))

        let oneComponent = Expect.error(.layout) {
            try fixture.store.createRun(try .plain("resnet18", layoutFields: ["train_prompt_id": "1", "val_prompt_id": "1"]))
        }
        #expect(oneComponent?.hint?.contains("{arch}/{exp_tag}") == true || oneComponent?.message.contains("arch") == true)
        #expect(try fixture.store.experimentIfPresent(named: ExperimentName("resnet18")) == nil)

        Expect.error(.layout) { try fixture.store.createRun(try .plain("resnet18/other", layoutFields: ["train_prompt_id": "1"])) }
    }

    @Test func promptTreeHoldsARunPerPromptPair() throws {
        // Seed 000: one experiment (ARCH/EXP_TAG) holds a run folder per train/val prompt pair.
        let fixture = try StoreFixture(layoutName: "prompt-tree")
        let first = try fixture.store.createRun(try .plain("vit/tag", layoutFields: ["train_prompt_id": "1", "val_prompt_id": "1"]))
        let second = try fixture.store.createRun(try .plain("vit/tag", layoutFields: ["train_prompt_id": "1", "val_prompt_id": "2"]))
        let third = try fixture.store.createRun(try .plain("vit/tag", layoutFields: ["train_prompt_id": "2", "val_prompt_id": "1"]))
        #expect([first.folder, second.folder, third.folder] == [
            "checkpoints/vit/tag/train-P1/val-P1", "checkpoints/vit/tag/train-P1/val-P2", "checkpoints/vit/tag/train-P2/val-P1",
        ])
        #expect(try fixture.store.runs().count == 3)
        // The same pair again would share a folder: refused.
        Expect.error(.alreadyExists) {
            try fixture.store.createRun(try .plain("vit/tag", layoutFields: ["train_prompt_id": "1", "val_prompt_id": "2"]))
        }
        #expect(try fixture.store.runs().count == 3)
    }

    @Test func runsKeepTheLayoutTheyWereCreatedWith() throws {
        let fixture = try StoreFixture(layoutName: "run-dirs")
        let run = try fixture.store.createRun(try .plain("exp"))
        // The store switches to another layout; the old run's files are still found by its own.
        var text = try Disk.text(fixture.root + "/cairn.yaml")
        text = text.replacingOccurrences(of: "layout: run-dirs", with: "layout: cairn")
        try Disk.write(text, to: fixture.root + "/cairn.yaml")
        let store = try Store.open(at: fixture.root)
        #expect(store.layout.name == "cairn")
        let location = try store.resolveRun(run.id.value)
        #expect(location.layout == "run-dirs")
        #expect(try store.run(at: location).folder == run.folder)
        #expect(try store.runFilePath(location, .tags) == run.absoluteFolder + "/tags.json")
        let newer = try store.createRun(try .plain("exp"))
        #expect(newer.folder == "exp/" + newer.id.value)
    }
}
