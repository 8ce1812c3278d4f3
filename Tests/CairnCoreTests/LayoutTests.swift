import CairnCore
import Testing

@Suite("Layout")
struct LayoutTests {
    @Test func rolesHaveTheirYAMLNames() {
        #expect(LayoutRole.allCases.map(\.rawValue) == [
            "experiment_name", "experiment", "run", "run_record", "params", "tags", "git_diff", "config", "log", "metrics",
            "events", "checkpoint_manifest", "checkpoint", "best", "last", "best_score", "average", "embeddings", "predictions",
            "tool_record", "tool_metrics", "artifact", "extra",
        ])
        #expect(!LayoutRole.run.isRelativeToRunFolder && LayoutRole.checkpoint.isRelativeToRunFolder)
    }

    @Test func builtinsAreNamedAndComplete() throws {
        #expect(BuiltinLayouts.all.map(\.name) == ["cairn", "prompt-tree", "run-dirs", "pretrain-finetune", "typed-folders",
                                                  "model-type-experiments", "typed-folders-legacy", "lightning", "huggingface", "tensorboard", "sacred", "hydra", "mlflow"])
        #expect(BuiltinLayouts.cairn.name == "cairn")
        #expect(BuiltinLayouts.named("run-dirs") == BuiltinLayouts.runDirs)
        #expect(BuiltinLayouts.named("nope") == nil)
        for layout in BuiltinLayouts.all {
            #expect(!layout.summary.isEmpty && !layout.summary.contains("\n"))
            for role in Layout.requiredRoles + Array(Layout.defaultTemplates.keys) {
                #expect(layout.template(role) != nil, "\(layout.name) lacks \(role)")
            }
            #expect(layout.template(.checkpoint) != nil)
            // Lightning and Hugging Face keep no best file of their own; every other convention does.
            #expect((layout.template(.best) != nil) == !["lightning", "huggingface"].contains(layout.name))
        }
        #expect(BuiltinLayouts.runDirs.template(.log)?.text == "[log_{start:%b%d_%H_%M_%S}|console_{console_time:%b%d_%H_%M_%S}].txt")
        #expect(BuiltinLayouts.runDirs.template(.config)?.text == ".hydra/config.yaml")
        #expect(BuiltinLayouts.cairn.template(.params)?.text == "params.json")
    }

    @Test func aToolIsOneCairnReadsAndItsRolesNeedIt() throws {
        let base = ["experiment_name": "{experiment}", "experiment": "{experiment}", "run": "{experiment}/{run_id}"]
        let sacred = try Layout(name: "mine", summary: "", templates: base.merging(["tool": "sacred", "tool_record": "run.json"]) { $1 })
        #expect(sacred.tool == .sacred && sacred.template(.toolRecord)?.text == "run.json")
        #expect(BuiltinLayouts.sacred.tool == .sacred && BuiltinLayouts.cairn.tool == nil)
        let unknown = #expect(throws: CairnError.self) { try Layout(name: "mine", summary: "", templates: base.merging(["tool": "wandb"]) { $1 }) }
        #expect(unknown?.message.contains("'wandb' is not a tool Cairn reads") == true, "\(unknown?.message ?? "")")
        let orphan = #expect(throws: CairnError.self) { try Layout(name: "mine", summary: "", templates: base.merging(["tool_metrics": "m.json"]) { $1 }) }
        #expect(orphan?.message.contains("sets the role 'tool_metrics' but no tool to read it") == true, "\(orphan?.message ?? "")")
    }

    @Test(arguments: [("cairn", true), ("prompt-tree", false), ("run-dirs", true), ("pretrain-finetune", false),
                      ("typed-folders", false), ("model-type-experiments", false)])
    func runFolderUniqueness(_ name: String, _ unique: Bool) throws {
        #expect(try #require(BuiltinLayouts.named(name)).runFolderHasUniqueField == unique)
    }

    @Test func cairnRendersAndMatchesItsPaths() throws {
        let layout = BuiltinLayouts.cairn
        var fields = try layout.experimentFields(for: ExperimentName("vae/baseline"))
        #expect(fields == ["experiment": "vae/baseline"])
        fields["run_id"] = "20261123-034011-482-k3v9"
        #expect(try layout.render(.run, fields) == "vae/baseline/20261123-034011-482-k3v9")
        #expect(layout.match(.run, "vae/baseline/20261123-034011-482-k3v9") == fields)
        let checkpoint: LayoutFields = ["epoch": 3, "step": 1200, "ext": ".safetensors"]
        #expect(try layout.render(.checkpoint, checkpoint) == "checkpoints/epoch_0003-step_00001200.safetensors")
        #expect(layout.match(.checkpoint, "checkpoints/epoch_0003-step_00001200.safetensors") == checkpoint)
        #expect(layout.match(.best, "checkpoints/best.pt") == ["ext": ".pt"])
        #expect(layout.match(.artifact, "artifacts/plots/loss.png") == ["path": "plots/loss.png"])
        #expect(try layout.render(.metrics, ["split": "val"]) == "metrics/val/metrics.csv")
    }

    @Test func experimentFieldsSayWhichShapeIsExpected() throws {
        let fields = try BuiltinLayouts.promptTree.experimentFields(for: ExperimentName("resnet18/baseline"))
        #expect(fields == ["arch": "resnet18", "exp_tag": "baseline", "experiment": "resnet18/baseline"])
        #expect(try BuiltinLayouts.promptTree.render(.experiment, fields) == "checkpoints/resnet18/baseline")
        do {
            _ = try BuiltinLayouts.promptTree.experimentFields(for: ExperimentName("resnet18"))
            Issue.record("accepted a name without exp_tag")
        } catch {
            #expect(error.kind == .layout)
            #expect(error.message.contains("prompt-tree") && error.message.contains("ARCH/EXP_TAG"), "\(error.message)")
        }
        #expect(throws: CairnError.self) { try BuiltinLayouts.runDirs.experimentFields(for: ExperimentName("a/b")) }
    }

    @Test func renderingARoleTheLayoutLacksThrows() {
        do {
            _ = try BuiltinLayouts.pretrainFinetune.render(.bestScore, ["score": 0.5])
            Issue.record("rendered a missing role")
        } catch {
            #expect(error.kind == .layout && error.message.contains("best_score"))
        }
        #expect(BuiltinLayouts.pretrainFinetune.match(.bestScore, "x") == nil)
    }

    @Test func userLayoutsGetDefaults() throws {
        let layout = try Layout(name: "mine", summary: "my own", templates: [
            "experiment_name": "{team}/{exp}", "experiment": "out/{team}/{exp}",
            "run": "out/{team}/{exp}/{run_name}", "checkpoint": "ck/{epoch:03}.pt", "log": "train.log",
        ])
        #expect(layout.template(.log)?.text == "train.log")
        #expect(layout.template(.tags)?.text == "tags.json")
        #expect(layout.template(.artifact)?.text == "artifacts/{path:path}")
        #expect(layout.template(.best) == nil)
        #expect(layout.runFolderHasUniqueField)
        #expect(layout == (try Layout(name: "mine", summary: "my own", templates: [
            "experiment_name": "{team}/{exp}", "experiment": "out/{team}/{exp}",
            "run": "out/{team}/{exp}/{run_name}", "checkpoint": "ck/{epoch:03}.pt", "log": "train.log",
        ])))
    }

    static let base = ["experiment_name": "{e}", "experiment": "x/{e}", "run": "x/{e}/{run_id}"]

    @Test(arguments: [
        (["ckpt": "a.pt"], "unknown role 'ckpt'"),
        (["experiment_name": nil], "does not set the role 'experiment_name'"),
        (["run": nil], "does not set the role 'run'"),
        (["run": "runs/{run_id}"], "lacks the field 'e'"),
        (["experiment": "x/{e}/{other}", "run": "x/{e}/{other}/{run_id}"], "'other'"),
        (["checkpoint": "/abs/{epoch:int}.pt"], "starts with '/'"),
        (["checkpoint": "ck_{epoch:bad}.pt"], "role 'checkpoint'"),
    ] as [([String: String?], String)])
    func invalidUserLayoutsThrow(_ changes: [String: String?], _ expected: String) {
        var templates = Self.base
        for (key, value) in changes { templates[key] = value }
        do {
            _ = try Layout(name: "bad", summary: "", templates: templates)
            Issue.record("accepted \(templates)")
        } catch {
            #expect(error.kind == .layout)
            #expect(error.message.contains(expected), "\(error.message)")
            if expected.hasPrefix("unknown role") { #expect(error.hint?.contains("best_score") == true) }
        }
    }
}
