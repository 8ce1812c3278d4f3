import Foundation
import Testing
import CairnTestSupport

/// `cairn migrate` between any two layouts: each example tree to Cairn's own layout and back, path for
/// path; links rewritten; a file never renamed to a format it is not; config values naming moved
/// files listed and rewritten; problems grouped on stderr.
@Suite("cairn migrate: any layout")
struct CLIMigrateAnyLayoutTests {
    @Test(arguments: ["prompt-tree", "run-dirs", "pretrain-finetune", "typed-folders", "model-type-experiments"])
    func exampleTreesGoToCairnsLayoutAndBack(convention: String) throws {
        let fixture = try AdoptFixture(convention)
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", convention]).status == 0)
        let before = try AdoptFixture.digests(fixture.tree)
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        let there = try fixture.cairn("migrate", "--to", "cairn")
        try #require(there.status == 0, "\(there.stderr)")
        #expect(Set(try AdoptFixture.digests(fixture.tree).values) == Set(before.values))
        let moved = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        #expect(Set(moved.compactMap { $0["id"] as? String }) == Set(runs.compactMap { $0["id"] as? String }), "runs keep their ids")
        for run in moved {
            let id = try #require(run["id"] as? String)
            let experiment = try #require(run["experiment"] as? String)
            #expect((run["folder"] as? String)?.hasSuffix("/" + experiment + "/" + id) == true, "\(run)")
            #expect(try fixture.cairn("ckpt", "verify", id).status == 0)
        }
        let back = try fixture.cairn("migrate", "--to", convention)
        try #require(back.status == 0, "\(back.stderr)")
        #expect(try AdoptFixture.digests(fixture.tree) == before)
    }

    @Test func aSymlinkedPointerStillNamesItsCheckpoint() throws {
        let fixture = try AdoptFixture("prompt-tree")
        let run = fixture.tree.appendingPathComponent("checkpoints/vit_b16/baseline/train-P12/val-P2")
        try FileManager.default.removeItem(at: run.appendingPathComponent("checkpoint_best.pt"))
        try FileManager.default.createSymbolicLink(atPath: run.appendingPathComponent("checkpoint_best.pt").path,
                                                   withDestinationPath: "checkpoint_2_1000.pt")
        let bytes = try Data(contentsOf: run.appendingPathComponent("checkpoint_2_1000.pt"))
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "prompt-tree"]).status == 0)
        let plan = try fixture.cairn("migrate", "--to", "cairn", "--dry-run")
        #expect(plan.stdout.contains("checkpoint_best.pt -> ") && plan.stdout.contains("(link now reads epoch_0002-step_00001000.pt)"), "\(plan.stdout)")
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        let id = try #require(runs.first { ($0["folder"] as? String)?.hasSuffix("vit_b16/baseline/train-P12/val-P2") == true }?["id"] as? String)
        #expect(try fixture.cairn("migrate", "--to", "cairn").status == 0)
        let best = try #require(try fixture.json("ckpt", "best", id) as? [String: Any])
        let path = try #require(best["path"] as? String)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        let linked = try FileManager.default.destinationOfSymbolicLink(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path + "/best.pt")
        #expect(linked == "epoch_0002-step_00001000.pt")
        let verify = try fixture.cairn("ckpt", "verify", id)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func aFileIsNeverRenamedToAnotherFormatAndProblemsAreGrouped() throws {
        let fixture = try AdoptFixture("prompt-tree")
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "prompt-tree"]).status == 0)
        let before = try AdoptFixture.digests(fixture.tree)
        // The Hugging Face layout names the last checkpoint model.safetensors; these are not safetensors.
        let refused = try fixture.cairn("migrate", "--to", "huggingface", "--map", "arch=experiment")
        #expect(refused.status == 1)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.contains { $0.contains("never changes what a file is") && $0.contains("model.safetensors") }, "\(refused.stderr)")
        #expect(lines.last?.contains("nothing moved") == true)
        // One line per cause, however many files each stops.
        #expect(lines.count <= 4, "\(refused.stderr)")
        #expect(try AdoptFixture.digests(fixture.tree) == before)
        let json = try CLI.run(["migrate", "--to", "huggingface", "--map", "arch=experiment", "--json", "--store", fixture.tree.path])
        let problems = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(problems.allSatisfy { ($0["paths"] as? [String])?.count == $0["count"] as? Int })
    }

    @Test func configValuesNamingMovedFilesAreListedAndRewritten() throws {
        let fixture = try AdoptFixture("model-type-experiments")
        #expect(try CLI.run(["adopt", fixture.tree.path, "--layout", "model-type-experiments"]).status == 0)
        let runs = try #require(try fixture.json("run", "ls") as? [[String: Any]])
        let folder = try #require(runs.compactMap { $0["folder"] as? String }.first { $0.hasSuffix("vae/baseline") })
        let relative = String(folder.dropFirst(fixture.tree.path.count + 1))
        let named = "epoch_003.pt"
        let config = URL(fileURLWithPath: folder + "/config.yaml")
        let original = (try? String(contentsOf: config, encoding: .utf8)) ?? ""
        try (original + "resume:\n  checkpoint_path: \(relative)/checkpoints/\(named)\n  local: checkpoints/\(named)\n").write(to: config, atomically: true, encoding: .utf8)
        let plan = try fixture.cairn("migrate", "--to", "cairn", "--dry-run")
        #expect(plan.stdout.contains("resume.checkpoint_path: \(relative)/checkpoints/\(named) -> "), "\(plan.stdout)")
        #expect(plan.stdout.contains("resume.local: checkpoints/\(named) -> checkpoints/epoch_0"), "\(plan.stdout)")
        let moved = try CLI.run(["migrate", "--to", "cairn", "--rewrite-configs", "--json", "--store", fixture.tree.path])
        try #require(moved.status == 0, "\(moved.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(moved.stdout.utf8)) as? [String: Any])
        #expect(report["configs_rewritten"] as? Bool == true)
        let references = try #require(report["config_references"] as? [[String: Any]])
        #expect(references.count == 2)
        // The rewritten values name the moved checkpoint, in the form they were written.
        for reference in references {
            let configPath = fixture.tree.path + "/" + (reference["config"] as? String ?? "")
            let text = try String(contentsOfFile: configPath, encoding: .utf8)
            let new = try #require(reference["new"] as? String)
            #expect(text.contains(new))
            let resolved = (reference["key"] as? String) == "resume.local"
                ? URL(fileURLWithPath: configPath).deletingLastPathComponent().path + "/" + new : fixture.tree.path + "/" + new
            #expect(FileManager.default.fileExists(atPath: resolved), "\(resolved)")
        }
    }
}
