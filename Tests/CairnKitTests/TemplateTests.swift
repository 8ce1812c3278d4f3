import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Config templates and `cairn exp new --template/--from/--parent/--set`.
@Suite("Config templates and experiment setup")
struct TemplateTests {
    private static let template = """
        # pre-training template
        experiment:
          name: <pre_name>
          output_dir: experiments/pretraining/<pre_name>
        training:
          lr: 0.001
          epochs: 3
        """

    private func file(_ fixture: StoreFixture, _ name: String, _ text: String) throws -> String {
        let path = fixture.directory.appending("src/" + name).path
        try Disk.write(text, to: path)
        return path
    }

    @Test func aYAMLTemplateIsKeptByteForByteAndListed() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let added = try store.addTemplate(named: "pre", from: try file(fixture, "pre.yaml", Self.template))
        #expect(added.keys == 4)
        #expect(added.sections == ["experiment", "training"])
        #expect(try Disk.text(store.templatesFolder + "/pre.yaml") == Self.template)
        #expect(try store.templates().map(\.name) == ["pre"])
        #expect(try store.template(named: "pre").config.value(at: ["training", "lr"]) == .float(0.001))
    }

    @Test func aJSONTemplateIsStoredAsYAML() throws {
        let fixture = try StoreFixture()
        try fixture.store.addTemplate(named: "j", from: try file(fixture, "j.json", #"{"training": {"lr": 0.5, "layers": [1, 2]}}"#))
        let text = try Disk.text(fixture.store.templatesFolder + "/j.yaml")
        #expect(try ConfigFile.parse(text, fileName: "j.yaml").value(at: ["training", "layers"]) == .list([.int(1), .int(2)]))
    }

    @Test(arguments: ["..", "a/b", "bad\u{7}name", ".hidden", "", "tab\tname"])
    func badTemplateNamesAreRefusedAndNothingIsWritten(name: String) throws {
        let fixture = try StoreFixture()
        let source = try file(fixture, "pre.yaml", Self.template)
        let before = Disk.tree(fixture.root)
        Expect.error(.invalidName) { try fixture.store.addTemplate(named: name, from: source) }
        #expect(Disk.tree(fixture.root) == before)
    }

    @Test(arguments: ["training: [unclosed", "- a list\n- not a mapping\n", "just text", "a: 1\na: 2\n"])
    func malformedOrNonMappingTemplatesAreRefused(text: String) throws {
        let fixture = try StoreFixture()
        let source = try file(fixture, "bad.yaml", text)
        let before = Disk.tree(fixture.root)
        Expect.error(.invalidConfig) { try fixture.store.addTemplate(named: "bad", from: source) }
        #expect(Disk.tree(fixture.root) == before)
    }

    @Test func anExistingTemplateIsReplacedOnlyWhenAsked() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.addTemplate(named: "pre", from: try file(fixture, "a.yaml", "a: 1\n"))
        Expect.error(.alreadyExists) { try store.addTemplate(named: "pre", from: try file(fixture, "b.yaml", "b: 2\n")) }
        #expect(try Disk.text(store.templatesFolder + "/pre.yaml") == "a: 1\n")
        try store.addTemplate(named: "pre", from: try file(fixture, "b.yaml", "b: 2\n"), replace: true)
        #expect(try Disk.text(store.templatesFolder + "/pre.yaml") == "b: 2\n")
        try store.removeTemplate(named: "pre")
        #expect(try store.templates().isEmpty)
        Expect.error(.notFound) { try store.removeTemplate(named: "pre") }
    }

    @Test func anExperimentFromATemplateGetsItsConfigWithOverridesAndItsName() throws {
        let fixture = try StoreFixture(layoutName: "pretrain-finetune")
        let store = fixture.store
        try store.addTemplate(named: "pretraining", from: try file(fixture, "pre.yaml", Self.template))
        let name = try ExperimentName("pretraining/mlm_small")
        try store.createExperiment(name, setup: ExperimentSetup(source: .template("pretraining"), overrides: ["training.lr=3e-4"]))
        let path = try #require(try store.experimentConfigPath(named: name))
        #expect(path == fixture.root + "/experiments/pretraining/mlm_small/config.yaml")
        let config = try ConfigFile.parse(try Disk.text(path), fileName: path)
        #expect(config.value(at: ["training", "lr"]) == .float(3e-4))
        #expect(config.value(at: ["experiment", "name"]) == .string("mlm_small"))
        #expect(config.value(at: ["experiment", "output_dir"]) == .string("experiments/pretraining/mlm_small"))
    }

    @Test func aBadSetupCreatesNothing() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.addTemplate(named: "pre", from: try file(fixture, "pre.yaml", Self.template))
        let before = Disk.tree(fixture.root)
        let name = try ExperimentName("x")
        Expect.error(.notFound) { try store.createExperiment(name, setup: ExperimentSetup(source: .template("pre"), overrides: ["training.nope=1"])) }
        Expect.error(.typeMismatch) { try store.createExperiment(name, setup: ExperimentSetup(source: .template("pre"), overrides: ["training.lr=fast"])) }
        Expect.error(.invalidConfig) { try store.createExperiment(name, setup: ExperimentSetup(source: .template("pre"), overrides: ["training.lr"])) }
        Expect.error(.notFound) { try store.createExperiment(name, setup: ExperimentSetup(source: .template("missing"))) }
        Expect.error(.notFound) { try store.createExperiment(name, setup: ExperimentSetup(source: .experiment(try ExperimentName("ghost")))) }
        Expect.error(.notFound) { try store.createExperiment(name, setup: ExperimentSetup(parent: try ExperimentName("ghost"))) }
        Expect.error(.invalidValue) { try store.createExperiment(name, setup: ExperimentSetup(parent: name)) }
        #expect(Disk.tree(fixture.root) == before)
    }

    @Test func fromClonesAnotherExperimentsConfigElseItsLatestRuns() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.addTemplate(named: "pre", from: try file(fixture, "pre.yaml", Self.template))
        try store.createExperiment(try ExperimentName("a"), setup: ExperimentSetup(source: .template("pre"), overrides: ["training.epochs=9"]))
        try store.createExperiment(try ExperimentName("b"), setup: ExperimentSetup(source: .experiment(try ExperimentName("a"))))
        let cloned = try Store.readConfig(try #require(try store.experimentConfigPath(named: try ExperimentName("b"))))
        #expect(cloned.value(at: ["training", "epochs"]) == .int(9))
        // An experiment without its own config.yaml: its latest run's config.
        _ = try store.createRun(try .plain("runs-only", config: ["lr": 0.25]))
        try store.createExperiment(try ExperimentName("c"), setup: ExperimentSetup(source: .experiment(try ExperimentName("runs-only"))))
        #expect(try Store.readConfig(try #require(try store.experimentConfigPath(named: try ExperimentName("c")))).value(at: ["lr"]) == .float(0.25))
    }

    @Test func parentIsRecordedAndNamedInThePretrainedSectionWithItsBestCheckpoint() throws {
        let fixture = try StoreFixture(layoutName: "pretrain-finetune")
        let store = fixture.store
        let pre = try store.createRun(try .plain("pretraining/mlm"))
        let checkpoints = try RunCheckpoints.open(store: store, run: pre)
        var policy = CheckpointPolicy()
        policy.monitor = "loss"
        policy.mode = .min
        _ = try checkpoints.save(Ckpt.at(1, ["loss": 0.2], policy: policy))
        _ = try checkpoints.save(Ckpt.at(2, ["loss": 0.9], policy: policy))
        let best = try RunCheckpoints.read(store: store, run: pre).checkpoint(.pointer("best"))
        #expect(best.epoch == 1)
        let record = try store.createExperiment(try ExperimentName("finetuning/cls"),
                                                setup: ExperimentSetup(parent: try ExperimentName("pretraining/mlm")))
        #expect(record.parentExperimentID == pre.record.experimentID)
        #expect(try store.experiment(id: record.id).parentExperimentID == pre.record.experimentID)
        let config = try Store.readConfig(try #require(try store.experimentConfigPath(named: record.name)))
        #expect(config.value(at: ["pretrained_experiment", "name"]) == .string("mlm"))
        #expect(config.value(at: ["pretrained_experiment", "checkpoint_path"]) == .string(best.path))
        // Its runs start from that config, and show the link.
        let run = try store.createRun(try .plain("finetuning/cls"))
        #expect(try store.details(of: run).parentExperimentID == pre.record.experimentID)
    }
}
