import Foundation
import Testing
import CairnTestSupport

/// `cairn adopt` on the example trees of every seed convention: the tree is unchanged byte for byte,
/// and the other commands work on it as on a native store.
@Suite("cairn adopt")
struct CLIAdoptTests {
    /// Convention → (experiments, runs, checkpoints, files left unexplained).
    static let expected: [String: (experiments: Int, runs: Int, checkpoints: Int, unexplained: [String])] = [
        "prompt-tree": (4, 16, 133, []),
        "run-dirs": (2, 6, 28, []),
        "pretrain-finetune": (5, 5, 10, ["config_templates/finetuning.yaml", "config_templates/pretraining.yaml"]),
        "typed-folders": (2, 2, 6, ["checkpoints/README.md"]),
        "typed-folders-legacy": (1, 1, 6, []),
        "model-type-experiments": (6, 6, 19, []),
    ]

    @Test(arguments: ["prompt-tree", "run-dirs", "pretrain-finetune", "typed-folders", "typed-folders-legacy", "model-type-experiments"])
    func adoptsInPlaceWithoutChangingAByte(_ convention: String) throws {
        let fixture = try AdoptFixture(convention)
        let before = try AdoptFixture.digests(fixture.tree)
        let result = try CLI.run(["adopt", fixture.tree.path, "--json"])
        try #require(result.status == 0, "adopt failed: \(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let want = try #require(Self.expected[convention])
        #expect(report["layout"] as? String == convention, "auto chose \(report["layout"] ?? "nil")")
        #expect((report["experiments"] as? [String])?.count == want.experiments)
        #expect((report["runs"] as? [Any])?.count == want.runs)
        #expect(report["checkpoints"] as? Int == want.checkpoints)
        #expect(report["unexplained"] as? [String] == want.unexplained)
        // Every byte of the tree is as it was; only cairn.yaml and .cairn/ were added.
        #expect(try AdoptFixture.digests(fixture.tree) == before)
        let top = try FileManager.default.contentsOfDirectory(atPath: fixture.tree.path).sorted()
        let original = try FileManager.default.contentsOfDirectory(
            atPath: PackagePaths.shared.appendingPathComponent("fixtures/layouts/example/\(convention)").path).sorted()
        #expect(top == (original + [".cairn", "cairn.yaml"]).sorted())

        // Every run lists, and each run's best and last resolve to files of the tree.
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        #expect(runs.count == want.runs)
        for run in runs {
            let id = try #require(run["id"] as? String)
            let checkpoints = try #require(try fixture.json("ckpt", "ls", id) as? [[String: Any]])
            guard !checkpoints.isEmpty else { continue }
            let last = try fixture.cairn("ckpt", "last", id)
            #expect(last.status == 0, "\(id): \(last.stderr)")
            #expect(FileManager.default.fileExists(atPath: last.stdout.trimmingCharacters(in: .newlines)))
        }
        // Verifying hashes each checkpoint once and records it; a second verify compares with it.
        let first = try #require(runs.first?["id"] as? String)
        #expect(try fixture.cairn("ckpt", "verify", first).status == 0)
        #expect(try fixture.cairn("ckpt", "verify", first).status == 0)
        let hashed = try #require(try fixture.json("ckpt", "ls", first) as? [[String: Any]])
        #expect(hashed.allSatisfy { ($0["sha256"] as? String)?.count == 64 }, "verify did not record the sha256")
        #expect(try AdoptFixture.digests(fixture.tree) == before)
    }

    @Test func seedConventionsAnswerTheUsualQuestions() throws {
        let runDirs = try AdoptFixture("run-dirs")
        #expect(try CLI.run(["adopt", runDirs.tree.path]).status == 0)
        // The newest run of an experiment is the one that started last (two runs share a second).
        let latest = try runDirs.cairn("latest", "yolox_s_coco")
        #expect(latest.stdout.trimmingCharacters(in: .newlines) == "RUN_20230815_235959_000123")
        let best = try runDirs.cairn("ckpt", "best", "RUN_20230802_131052_651906")
        #expect(best.stdout.hasSuffix("checkpoints/yolox_s_coco/RUN_20230802_131052_651906/ckpt_best.pth\n"))
        let logs = try runDirs.cairn("logs", "RUN_20230815_235959_000123")
        #expect(logs.stdout.contains("Training interrupted"))

        let prompt = try AdoptFixture("prompt-tree")
        #expect(try CLI.run(["adopt", prompt.tree.path, "--layout", "prompt-tree"]).status == 0)
        let run = "resnet18-aug-strong-train-P1-val-P2"
        let entries = try #require(try prompt.json("ckpt", "ls", run) as? [[String: Any]])
        let scored = try #require(entries.first { ($0["path"] as? String)?.hasSuffix("checkpoint_best_score_0.8310.pt") == true })
        #expect((scored["metrics"] as? [String: Any])?["score"] as? Double == 0.831)
        #expect(entries.contains { $0["epoch"] as? Int == 3 && $0["step"] as? Int == 1500 })

        // Seed 002's wide metrics CSVs read through metric show, as a native store's.
        let pretrain = try AdoptFixture("pretrain-finetune")
        #expect(try CLI.run(["adopt", pretrain.tree.path]).status == 0)
        let metrics = try #require(try pretrain.json("metric", "show", "mlm_small", "--split", "eval", "--key", "loss") as? [[String: Any]])
        #expect(metrics.count == 3)
        #expect(metrics.map { $0["step"] as? Int } == [500, 1000, 1500])

        let model = try AdoptFixture("model-type-experiments")
        #expect(try CLI.run(["adopt", model.tree.path]).status == 0)
        let params = try model.cairn("run", "show", "vae-baseline")
        #expect(params.status == 0, "\(params.stderr)")
        #expect(params.stdout.contains("checkpoint.save_strategy"))
    }

    /// Adopted experiments live in the pack: no folder each, until something about one changes; new
    /// experiments are numbered after them.
    @Test func adoptedExperimentsGetAFolderOnlyWhenChanged() throws {
        let fixture = try AdoptFixture("run-dirs")
        #expect(try CLI.run(["adopt", fixture.tree.path]).status == 0)
        let experimentsFolder = fixture.tree.appendingPathComponent(".cairn/experiments").path
        #expect(try FileManager.default.contentsOfDirectory(atPath: experimentsFolder).isEmpty)
        let listed = try #require(try fixture.json("exp", "ls") as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["resnet50_imagenet_ft", "yolox_s_coco"])
        #expect(listed.map { $0["id"] as? String } == ["1", "2"])

        let created = try fixture.cairn("exp", "new", "other")
        #expect(created.stdout.contains("(id 3)"), "\(created.stdout) \(created.stderr)")
        let run = try fixture.cairn("run", "new", "-e", "yolox_s_coco", "--no-git")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: experimentsFolder).sorted() == ["2", "3"])
        let after = try #require(try fixture.json("exp", "ls") as? [[String: Any]])
        #expect(after.map { $0["name"] as? String } == ["other", "resnet50_imagenet_ft", "yolox_s_coco"])
        #expect(after.first { $0["name"] as? String == "yolox_s_coco" }?["runs"] as? Int == 4)
        // The new run is the experiment's latest now; the adopted runs are all still there.
        let latest = try fixture.cairn("latest", "yolox_s_coco").stdout.trimmingCharacters(in: .newlines)
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        #expect(runs.count == 7)
        let folder = URL(fileURLWithPath: run.stdout.trimmingCharacters(in: .newlines)).lastPathComponent
        let newest = try #require(runs.first { $0["id"] as? String == latest }, "latest is \(latest)")
        #expect("\(newest)".contains(folder), "\(newest)")
    }

    @Test func storeElsewhereLeavesTheTreeEntirelyUntouched() throws {
        let fixture = try AdoptFixture("pretrain-finetune")
        let before = TreeSnapshot(fixture.tree)
        let store = fixture.directory.appending("store")
        let result = try CLI.run(["adopt", fixture.tree.path, "--store", store.path])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(TreeSnapshot(fixture.tree) == before)
        let runs = try CLI.run(["run", "ls", "--json", "--store", store.path])
        #expect((try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [Any])?.count == 5)
        let path = try CLI.run(["path", "pretraining/mlm_small", "--store", store.path])
        #expect(path.stdout.trimmingCharacters(in: .newlines) == fixture.tree.path + "/experiments/pretraining/mlm_small")
    }

    @Test func badInputGetsOneLineAndChangesNothing() throws {
        let fixture = try AdoptFixture("run-dirs")
        let before = TreeSnapshot(fixture.tree)
        let cases: [[String]] = [
            ["adopt", fixture.tree.path, "--layout", "no-such-layout"],
            ["adopt", fixture.tree.appendingPathComponent("missing").path],
            ["adopt", fixture.tree.path, "--store", fixture.tree.appendingPathComponent("checkpoints/inside").path],
            ["adopt", fixture.tree.path, "--layout", "lightning"],
        ]
        for arguments in cases {
            let result = try CLI.run(arguments)
            #expect(result.status != 0, "\(arguments) succeeded")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(TreeSnapshot(fixture.tree) == before, "\(arguments) changed the tree")
        }
        // A read-only tree: one clear line, nothing written.
        let readOnly = try CLI.runUnprivileged(["adopt", fixture.tree.path])
        #expect(readOnly.status != 0)
        #expect(readOnly.stderr.contains(fixture.tree.path))
        #expect(TreeSnapshot(fixture.tree) == before)
        // Adopting twice: the second says the store exists.
        #expect(try CLI.run(["adopt", fixture.tree.path]).status == 0)
        let again = try CLI.run(["adopt", fixture.tree.path])
        #expect(again.status != 0 && again.stderr.contains("already a Cairn store"))
    }

    @Test func symlinkLoopsSpacesAndNonASCIINames() throws {
        let fixture = try AdoptFixture("model-type-experiments")
        let fm = FileManager.default
        let odd = fixture.tree.appendingPathComponent("experiments/vae/réglage fin ü")
        try fm.createDirectory(at: odd.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
        try Data("w".utf8).write(to: odd.appendingPathComponent("checkpoints/epoch_007.pt"))
        try Data("w".utf8).write(to: odd.appendingPathComponent("checkpoints/best_model.pt"))
        // A loop: a folder link pointing at its own parent.
        try fm.createSymbolicLink(atPath: fixture.tree.appendingPathComponent("experiments/vae/loop").path, withDestinationPath: ".")
        try fm.createSymbolicLink(atPath: fixture.tree.appendingPathComponent("experiments/self").path, withDestinationPath: "self")
        let result = try CLI.run(["adopt", fixture.tree.path])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("skipped: experiments/vae/loop: a symlink to a folder (not followed)"))
        #expect(result.stdout.contains("skipped: experiments/self"))
        let entries = try #require(try fixture.json("ckpt", "ls", "réglage fin ü") as? [[String: Any]])
        #expect(entries.contains { $0["epoch"] as? Int == 7 })
        let best = try fixture.cairn("ckpt", "best", "réglage fin ü")
        #expect(best.stdout.hasSuffix("réglage fin ü/checkpoints/best_model.pt\n"))
    }
}
