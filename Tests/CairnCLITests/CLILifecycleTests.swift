import Foundation
import Testing
import CairnTestSupport

/// `cairn template`, `exp new --template/--parent`, `resume`, `reproduce` and `exec --resume`, through
/// the binary: a training script that saves checkpoints resumes from the right one; bad input is one
/// error line and leaves the store as it was.
@Suite("cairn template, resume, reproduce")
struct CLILifecycleTests {
    /// A training script (run as `/bin/sh SCRIPT`: executing a file just written races with other tests'
    /// forks, which may briefly hold it open for writing: ETXTBSY): prints its resume variables, logs a
    /// metric and saves a checkpoint at the two steps of 10 after the one it resumes from, logs one more
    /// point 5 steps later (after its last checkpoint), and exits with $EXIT (default 0).
    private static func script(in store: CLITestStore) throws -> String {
        let path = store.path + "-train.sh"
        try """
            #!/bin/sh
            echo "resume=$CAIRN_RESUME_CHECKPOINT step=$CAIRN_RESUME_STEP from=$CAIRN_RESUMED_FROM"
            start=${CAIRN_RESUME_STEP:-0}
            for i in 1 2; do
              step=$((start + i * 10))
              "\(PackagePaths.cairnBinary)" metric log --step $step loss=0.$i $TB > /dev/null || exit 9
              printf "weights at $step" > "$CAIRN_RUN_DIR/w.bin"
              "\(PackagePaths.cairnBinary)" ckpt save --step $step --move "$CAIRN_RUN_DIR/w.bin" > /dev/null || exit 9
            done
            "\(PackagePaths.cairnBinary)" metric log --step $((start + 25)) loss=0.9 > /dev/null || exit 9
            exit ${EXIT:-0}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    private static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The JSON document `--json` printed after the command's own output.
    private static func document(after output: String) throws -> [String: Any] {
        let start = output.hasPrefix("{") ? output.startIndex : try #require(output.range(of: "\n{\n", options: .backwards)).lowerBound
        return try object(String(output[start...]))
    }

    private func expectOneError(_ store: CLITestStore, _ arguments: [String], _ expected: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = TreeSnapshot(store.url)
        let result = try store.cairn(arguments)
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.contains(expected), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(TreeSnapshot(store.url) == before, "changed: \(TreeSnapshot(store.url).difference(from: before))", sourceLocation: sourceLocation)
    }

    @Test func templatesMakeExperimentConfigsThatExecUses() throws {
        let store = try CLITestStore()
        let source = store.path + "-tpl.yaml"
        try "# template\ntraining:\n  lr: 0.001\n  epochs: 3\n".write(toFile: source, atomically: true, encoding: .utf8)
        try store.output("template", "add", "base", source)
        let listed = try #require(try store.json("template", "ls", "--json") as? [[String: Any]])
        #expect(listed.first?["name"] as? String == "base")
        #expect(listed.first?["keys"] as? Int == 2)
        #expect(try store.output("template", "show", "base") == "# template\ntraining:\n  lr: 0.001\n  epochs: 3")
        let experiment = try Self.object(try store.output("exp", "new", "vae/a", "--template", "base", "--set", "training.lr=0.01", "--json"))
        let folder = try #require(experiment["folder"] as? String)
        #expect(try String(contentsOfFile: folder + "/config.yaml", encoding: .utf8).contains("lr: 0.01"))
        // exec and run new take it when no --config is given, and --set is checked against it.
        let run = try Self.object(try store.output("exec", "-e", "vae/a", "--no-git", "-q", "--json", "--set", "training.epochs=5", "--", "/bin/true"))
        #expect(run["config_source"] as? String == folder + "/config.yaml")
        let params = try Self.object(try store.output("run", "show", try #require(run["id"] as? String), "--json"))["params"] as? [String: Any]
        #expect((params?["training.lr"] as? [String: Any])?["text"] as? String == "0.01")
        #expect((params?["training.epochs"] as? [String: Any])?["text"] as? String == "5")
        try expectOneError(store, ["run", "new", "-e", "vae/a", "--no-git", "--set", "training.nope=1"], "training.nope")
    }

    @Test func badTemplateAndSetupInputIsOneErrorLineAndChangesNothing() throws {
        let store = try CLITestStore()
        let good = store.path + "-good.yaml"
        try "a: 1\n".write(toFile: good, atomically: true, encoding: .utf8)
        let bad = store.path + "-bad.yaml"
        try "a: [1, 2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        try store.output("template", "add", "good", good)
        try expectOneError(store, ["template", "add", "../up", good], "template name")
        try expectOneError(store, ["template", "add", "a/b", good], "template name")
        try expectOneError(store, ["template", "add", "x\u{1}y", good], "template name")
        try expectOneError(store, ["template", "add", "bad", bad], "bad.yaml")
        try expectOneError(store, ["template", "add", "missing", store.path + "-none.yaml"], "does not exist")
        try expectOneError(store, ["template", "add", "good", good], "already exists")
        try expectOneError(store, ["template", "show", "nope"], "no config template named 'nope'")
        try expectOneError(store, ["exp", "new", "e", "--template", "nope"], "no config template named 'nope'")
        try expectOneError(store, ["exp", "new", "e", "--template", "good", "--set", "b=2"], "b")
        try expectOneError(store, ["exp", "new", "e", "--parent", "ghost"], "ghost")
        try expectOneError(store, ["exp", "new", "e", "--from", "ghost"], "ghost")
        try expectOneError(store, ["resume", "nosuchrun"], "nosuchrun")
        try expectOneError(store, ["reproduce", "nosuchrun"], "nosuchrun")
    }

    @Test func resumeStartsANewRunFromTheLastCheckpointAndExecResumeExportsIt() throws {
        let store = try CLITestStore()
        let train = try Self.script(in: store)
        let first = try store.cairn(["exec", "-e", "mnist", "--no-git", "--json", "-q", "--", "/bin/sh", train], environment: ["EXIT": "3"])
        #expect(first.status == 3)
        let source = try #require(try Self.document(after: first.stdout)["id"] as? String)
        #expect(first.stdout.contains("resume= step= from="))
        let resumed = try store.cairn(["resume", source, "--json", "-q"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("step=20 from=\(source)"))
        let run = try Self.document(after: resumed.stdout)
        let id = try #require(run["id"] as? String)
        #expect(run["resumed_from"] as? String == source)
        #expect(run["status"] as? String == "FINISHED")
        let steps = try #require(try store.json("ckpt", "ls", id, "--json") as? [[String: Any]]).compactMap { $0["step"] as? Int }
        #expect(steps == [30, 40])
        let sourceSteps = try #require(try store.json("ckpt", "ls", source, "--json") as? [[String: Any]]).compactMap { $0["step"] as? Int }
        #expect(sourceSteps == [10, 20])
        #expect(try store.output("run", "show", id).contains("resumes     run \(source)"))
        // exec --resume EXP: the newest checkpoint of the experiment's runs.
        let again = try store.cairn(["exec", "-e", "mnist", "--no-git", "--resume", "mnist", "-q", "--", "/bin/sh", train])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("step=40 from=\(id)"))
    }

    @Test func resumeContinueReopensTheSameRun() throws {
        let store = try CLITestStore()
        let train = try Self.script(in: store)
        let first = try store.cairn(["exec", "-e", "mnist", "--no-git", "--json", "-q", "--", "/bin/sh", train], environment: ["EXIT": "1"])
        let source = try #require(try Self.document(after: first.stdout)["id"] as? String)
        // Killed while setting aside the point logged after the last checkpoint (step 25): the store stays whole.
        let killed = try store.cairn(["resume", source, "--continue", "-q"], environment: ["CAIRN_FAULT": "supersede-metrics"])
        #expect(killed.status != 0)
        let folder = try store.output("path", source)
        let csv = folder + "/metrics/train/metrics.csv", aside = folder + "/metrics/train/metrics.superseded.csv"
        func steps(_ path: String) throws -> [Int] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1])! }
        }
        #expect(try steps(csv) == [10, 20, 25])
        #expect(try steps(aside) == [25])
        #expect(try store.cairn("doctor").status == 0)
        let result = try store.cairn(["resume", source, "--continue", "-q"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try steps(csv) == [10, 20, 30, 40, 45])
        #expect(try steps(aside) == [25])
        let record = try Self.object(try store.output("run", "show", source, "--json"))
        #expect(record["status"] as? String == "FINISHED")
        let steps = try #require(try store.json("ckpt", "ls", source, "--json") as? [[String: Any]]).compactMap { $0["step"] as? Int }
        #expect(steps == [10, 20, 30, 40])
        try expectOneError(store, ["resume", source, "--continue", "--as", "other"], "--continue")
    }

    @Test func reproduceWarnsWithoutARecordedCommitAndAppendsArguments() throws {
        let store = try CLITestStore()
        let script = store.path + "-echo.sh"
        try "#!/bin/sh\necho \"args: $*\"\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let first = try store.cairn(["exec", "-e", "e", "--no-git", "--json", "-q", "--set", "lr=0.5", "--", "/bin/sh", script, "--seed", "1"])
        let source = try #require(try Self.document(after: first.stdout)["id"] as? String)
        let again = try store.cairn(["reproduce", source, "--", "--fast"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("args: --seed 1 --fast"))
        #expect(again.stderr.contains("cairn: warning: run \(source) recorded no git commit"))
        let runs = try #require(try store.json("run", "ls", "-e", "e", "--json") as? [[String: Any]])
        #expect(runs.count == 2)
    }

    /// The Python client under `cairn resume`: `run.resume_checkpoint` names the checkpoint, and `run.log`
    /// without a step continues after the checkpoint's step.
    @Test func thePythonClientContinuesAfterTheResumeStep() throws {
        let store = try CLITestStore()
        let script = store.path + "-train.py"
        try """
            import cairn, os, sys
            with cairn.init() as run:
                print("resume", run.resume_checkpoint, run.resume_step)
                for i in range(5):
                    run.log({"loss": 1.0 / (i + 1)})
                    if i == 2:
                        with run.checkpoint(step=(run.resume_step or -1) + 3) as path:
                            open(path, "wb").write(b"w" * 100)
                run.wait()
            sys.exit(int(os.environ.get("EXIT", "0")))
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let environment: [String: String?] = ["CAIRN_BIN": PackagePaths.cairnBinary, "EXIT": "2"]
        let first = try store.cairn(["exec", "-e", "py", "--no-git", "--json", "-q", "--", TestPython.executable, script], environment: environment)
        #expect(first.status == 2, "\(first.stderr)")
        let source = try #require(try Self.document(after: first.stdout)["id"] as? String)
        #expect(first.stdout.contains("resume None None"))
        let resumed = try store.cairn(["resume", source, "--json", "-q"], environment: ["CAIRN_BIN": PackagePaths.cairnBinary, "EXIT": "0"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let run = try Self.document(after: resumed.stdout)
        let id = try #require(run["id"] as? String)
        let checkpoint = try #require(try store.json("ckpt", "latest", source, "--json") as? [String: Any])
        #expect(resumed.stdout.contains("resume \(try #require(checkpoint["path"] as? String)) 2"))
        let steps = try #require(try store.json("metric", "show", id, "--key", "loss", "--json") as? [[String: Any]]).compactMap { $0["step"] as? Int }
        #expect(steps == [3, 4, 5, 6, 7])
    }

    /// `resume --continue` on a run with live TensorBoard event files: TensorBoard itself (its
    /// EventAccumulator, which purges orphaned data as its UI does) shows each step once, the new attempt's.
    @Test func continueMakesTensorBoardShowEachStepOnce() throws {
        let store = try CLITestStore()
        let train = try Self.script(in: store)
        let first = try store.cairn(["exec", "-e", "tb", "--no-git", "--json", "-q", "--", "/bin/sh", train], environment: ["EXIT": "1", "TB": "--tb"])
        let source = try #require(try Self.document(after: first.stdout)["id"] as? String)
        let resumed = try store.cairn(["resume", source, "--continue", "-q"], environment: ["TB": "--tb"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let events = try store.output("path", source) + "/events"
        let read = try TestPython.run("""
            import sys, json
            from tensorboard.backend.event_processing import event_accumulator as ea
            a = ea.EventAccumulator(sys.argv[1], size_guidance={'scalars': 0}); a.Reload()
            print(json.dumps([[s.step, s.value] for s in a.Scalars('train/loss')]))
            """, [events])
        try #require(read.status == 0, "python: \(read.stderr)")
        let points = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[Double]])
        #expect(points.map { Int($0[0]) } == [10, 20, 30, 40, 45])
        #expect(points.last.map { Float($0[1]) } == 0.9)
    }
}
