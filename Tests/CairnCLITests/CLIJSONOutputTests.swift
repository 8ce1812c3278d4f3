import Foundation
import Testing
import CairnTestSupport

/// Every command that prints a result takes `--json`, and its shape is the golden file's
/// (docs/FORMAT.md, *JSON output*). One scenario walks a store through every command.
@Suite struct CLIJSONOutputTests {
    /// Runs a command that must succeed and returns its stdout.
    static func json(_ store: CLITestStore, _ arguments: String...) throws -> String {
        let result = try store.cairn(arguments + ["--json"])
        try #require(result.status == 0, "cairn \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result.stdout
    }

    static func id(_ json: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return try #require(object?["id"] as? String)
    }

    @Test func storeExperimentsRunsMetricsCheckpoints() throws {
        let golden = GoldenJSON()
        let scratch = try TemporaryDirectory("cairn-json")
        let other = try TemporaryDirectory("cairn-json-init")
        let store = try CLITestStore()
        golden.replace(store.path, with: "$STORE")
        golden.replace(scratch.path, with: "$SCRATCH")
        golden.replace(other.path, with: "$OTHER")
        try golden.check("init", try CLI.run(["init", other.path + "/store", "--json"]).stdout)

        try golden.check("exp-new", try Self.json(store, "exp", "new", "vae/baseline"))
        try golden.check("exp-set", try Self.json(store, "exp", "set", "vae/baseline", "checkpoint.monitor=val_loss", "checkpoint.top_k=2"))
        try "training:\n  lr: 0.001\n  epochs: 3\n  name: 'yes'\ndata:\n  sizes: [64, 128]\n".write(toFile: scratch.path + "/cfg.yaml", atomically: true, encoding: .utf8)
        let created = try Self.json(store, "run", "new", "-e", "vae/baseline", "--config", scratch.path + "/cfg.yaml",
                                    "--set", "training.lr=3e-4", "--tag", "owner=ana", "--no-git")
        try golden.check("run-new", created)
        let run = try Self.id(created)
        try golden.check("run-param", try Self.json(store, "run", "param", run, "batch=64", "ratio=0.5"))
        try golden.check("run-tag", try Self.json(store, "run", "tag", run, "note=a b=c"))

        try golden.check("metric-log", try Self.json(store, "metric", "log", run, "loss=0.5", "acc=0.9", "--step", "1", "--epoch", "0"))
        _ = try Self.json(store, "metric", "log", run, "loss=nan", "acc=inf", "--step", "2", "--epoch", "0")
        _ = try Self.json(store, "metric", "log", run, "loss=0.25", "--step", "3", "--epoch", "1", "--split", "eval")
        try golden.check("metric-show", try Self.json(store, "metric", "show", run))
        try golden.check("metric-show-key", try Self.json(store, "metric", "show", run, "--key", "loss"))

        for epoch in 1...3 {
            let file = scratch.path + "/e\(epoch).pt"
            try Data(repeating: UInt8(epoch), count: 1000 * epoch).write(to: URL(fileURLWithPath: file))
            let saved = try Self.json(store, "ckpt", "save", run, file, "--epoch", String(epoch), "--step", String(epoch * 100),
                                      "--metric", "val_loss=0.\(4 - epoch)\(epoch)")
            if epoch == 3 { try golden.check("ckpt-save", saved) }
        }
        try golden.check("ckpt-ls", try Self.json(store, "ckpt", "ls", run))
        try golden.check("ckpt-ls-all", try Self.json(store, "ckpt", "ls", run, "--all"))
        try golden.check("ckpt-best", try Self.json(store, "ckpt", "best", run))
        try golden.check("ckpt-last", try Self.json(store, "ckpt", "last", run))
        try golden.check("ckpt-path", try Self.json(store, "ckpt", "path", run, "epoch=2"))
        try golden.check("ckpt-verify", try Self.json(store, "ckpt", "verify", run))
        try golden.check("ckpt-prune", try Self.json(store, "ckpt", "prune", run, "--keep-last", "1", "--dry-run"))
        try golden.check("ckpt-latest", try Self.json(store, "ckpt", "latest", "vae/baseline"))

        let exported = try Self.json(store, "tb", "export", run)
        try golden.check("tb-export", exported)
        let eventFile = try #require((try JSONSerialization.jsonObject(with: Data(exported.utf8)) as? [String: Any])?["path"] as? String)
        try golden.check("tb-import", try Self.json(store, "tb", "import", eventFile, "--run", run, "--split", "imported"))

        try golden.check("run-finish", try Self.json(store, "run", "finish", run))
        try golden.check("run-show", try Self.json(store, "run", "show", run))
        let failed = try Self.id(try Self.json(store, "run", "new", "-e", "vae/baseline", "--name", "second", "--no-git"))
        try golden.check("run-fail", try Self.json(store, "run", "fail", failed))
        try golden.check("run-ls", try Self.json(store, "run", "ls"))
        try golden.check("latest", try Self.json(store, "latest", "vae/baseline"))
        try golden.check("path", try Self.json(store, "path", "vae/baseline", run))
        try golden.check("exp-ls", try Self.json(store, "exp", "ls"))
        try golden.check("layout-ls", try Self.json(store, "layout", "ls"))
        try golden.check("layout-show", try Self.json(store, "layout", "show", "run-dirs"))

        let exec = try store.cairn("exec", "-e", "vae/exec", "--no-git", "--json", "--", "sh", "-c", "echo hello; sleep 0.3; echo oops >&2; exit 3")
        #expect(exec.status == 3, "\(exec.stderr)")
        #expect(exec.stdout.hasPrefix("hello\n{"), "the command's output, then the run: \(exec.stdout)")
        let ended = String(exec.stdout.dropFirst("hello\n".count))
        try golden.check("exec", ended)
        try golden.check("logs", try Self.json(store, "logs", try Self.id(ended)), lines: true)
    }

    @Test func adoptAndMigrate() throws {
        let golden = GoldenJSON()
        let fixture = try AdoptFixture("typed-folders-legacy")
        golden.replace(fixture.tree.path, with: "$TREE")
        let adopted = try CLI.run(["adopt", fixture.tree.path, "--layout", "typed-folders-legacy", "--json"])
        try #require(adopted.status == 0, "\(adopted.stderr)")
        try golden.check("adopt", adopted.stdout)
        let plan = try CLI.run(["migrate", fixture.tree.path, "--to", "typed-folders", "--dry-run", "--json"])
        try golden.check("migrate-plan", plan.stdout)
        let moved = try CLI.run(["migrate", fixture.tree.path, "--to", "typed-folders", "--json"])
        try #require(moved.status == 0, "\(moved.stderr)")
        try golden.check("migrate", moved.stdout)
        try golden.check("migrate-resume", try CLI.run(["migrate", fixture.tree.path, "--resume", "--json"]).stdout)
    }

    @Test func demo() throws {
        let golden = GoldenJSON()
        golden.volatileNumbers = ["val_accuracy", "val_loss", "archived_files", "archived_bytes", "compressed_bytes"]  // a run's record and log hold its host, user and times
        golden.volatileStrings = ["sha256"]
        golden.volatileObjects = ["metrics"]
        let dir = try TemporaryDirectory("cairn-json-demo")
        golden.replace(dir.path, with: "$DEMO")
        try golden.replace(pattern: "tree-[0-9a-z]+", with: "tree-$ID")
        try golden.replace(pattern: "logdir-[0-9a-z]+", with: "logdir-$ID")
        try golden.replace(pattern: "imported/mlflow-[0-9a-z]+", with: "imported/mlflow-$ID")
        // The MLflow file store's ids: an 18-digit experiment id, 32-digit hexadecimal run ids.
        try golden.replace(pattern: "\\b[0-9]{18}\\b", with: "$MLFLOW_EXPERIMENT_ID")
        try golden.replace(pattern: "\\b[0-9a-f]{32}\\b", with: "$MLFLOW_RUN_ID")
        try golden.replace(pattern: "[A-Z][a-z]{2}[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2}_", with: "$MONDD_$TIME_")
        try golden.replace(pattern: "127\\.0\\.0\\.1:[0-9]+", with: "127.0.0.1:$PORT")
        let result = try CLI.run(["demo", dir.path + "/store", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Training a demo/spirals MLP"), "progress goes to stderr")
        try golden.check("demo", result.stdout)
    }

    /// `cairn doctor --json` on a store with a run folder, a checkpoint and its stable names deleted by
    /// hand and a temporary left by a dead process; then `--fix`.
    @Test func doctor() throws {
        let golden = GoldenJSON()
        let store = try CLITestStore()
        golden.replace(store.path, with: "$STORE")
        let kept = try Self.id(try Self.json(store, "run", "new", "-e", "vae/baseline", "--no-git"))
        let gone = try Self.id(try Self.json(store, "run", "new", "-e", "vae/baseline", "--no-git"))
        let scratch = try TemporaryDirectory("cairn-json-doctor")
        for epoch in 1...2 {
            let file = scratch.path + "/e\(epoch).pt"
            try Data(repeating: UInt8(epoch), count: 100).write(to: URL(fileURLWithPath: file))
            _ = try Self.json(store, "ckpt", "save", kept, file, "--epoch", String(epoch), "--step", String(epoch),
                              "--metric", "val_loss=0.\(5 - epoch)", "--monitor", "val_loss")
        }
        let folder = try store.output("path", kept) + "/checkpoints"
        try FileManager.default.removeItem(atPath: folder + "/epoch_0002-step_00000002.pt")
        try Data(count: 10).write(to: URL(fileURLWithPath: folder + "/.cairn-tmp-epoch_0003-step_00000003.pt-999999-x1"))
        try FileManager.default.removeItem(atPath: try store.output("path", gone))

        let found = try store.cairn("doctor", "--json")
        #expect(found.status == 1, "problems remain: \(found.stderr)")
        try golden.check("doctor", found.stdout)
        let fixed = try store.cairn("doctor", "--fix", "--json")
        #expect(fixed.status == 0, "\(fixed.stderr)")
        try golden.check("doctor-fix", fixed.stdout)
    }
}
