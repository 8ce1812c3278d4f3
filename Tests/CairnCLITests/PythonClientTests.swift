#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// The Python package `cairn` (installed into the test venv from `python/`) against the real binary:
/// a run it creates through `cairn agent`, a run of `cairn exec` through its socket with two ranks,
/// bad input, and the client's or the agent's death.
@Suite("Python client")
struct PythonClientTests {
    /// Runs a Python script with the store and binary in its environment.
    static func python(_ script: String, _ arguments: [String] = [], store: CLITestStore,
                       environment: [String: String?] = [:]) throws -> TestProcess.Result {
        var env: [String: String?] = ["CAIRN_BIN": PackagePaths.cairnBinary, "CAIRN_STORE": store.path, "CAIRN_SOCKET": nil, "CAIRN_RUN_ID": nil]
        for (key, value) in environment { env[key] = value }
        return try TestProcess.run(TestPython.executable, ["-c", script] + arguments, environment: env)
    }

    static func metricRows(_ store: CLITestStore, run: String, key: String, split: String = "train") throws -> [[String: Any]] {
        try #require(try store.json("metric", "show", run, "--key", key, "--split", split, "--json") as? [[String: Any]])
    }

    @Test func aRunCreatedByTheClientLogsSavesAndFinishes() throws {
        let store = try CLITestStore()
        let result = try Self.python("""
            import cairn, math
            with cairn.init(experiment="py/first", config={"lr": 0.1, "model": {"depth": 3}}, overrides=["lr=0.2"],
                            name="first", tags={"owner": "ana"}) as run:
                assert run.config == {"lr": 0.2, "model": {"depth": 3}}, run.config
                for i in range(200):
                    run.log({"loss": 1.0 / (i + 1)}, step=i)
                run.log({"acc": 0.5, "odd": math.nan}, step=7, split="eval")
                run.log_params({"lr": 0.2, "optimizer": "adam"})
                for epoch in range(3):
                    with run.checkpoint(epoch=epoch, metrics={"val_loss": [0.5, 0.2, 0.3][epoch]},
                                        policy={"monitor": "val_loss", "mode": "min", "top_k": 1}) as path:
                        with open(path, "wb") as f:
                            f.write(bytes([epoch]) * 1000)
                saved = run.wait()
                assert saved["saved"]["epoch"] == 2, saved
                assert run.best()["epoch"] == 1, run.best()
                assert run.last()["epoch"] == 2
                print(run.id)
            latest = cairn.latest_checkpoint("py/first")
            assert latest["epoch"] == 2, latest
            """, store: store)
        try #require(result.status == 0, "\(result.stderr)")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let details = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(details["status"] as? String == "FINISHED")
        #expect(details["name"] as? String == "first")
        #expect((details["tags"] as? [String: Any])?["owner"] as? String == "ana")
        #expect(((details["params"] as? [String: Any])?["optimizer"] as? [String: Any])?["text"] as? String == "adam")
        #expect(try Self.metricRows(store, run: id, key: "loss").count == 200)
        #expect(try Self.metricRows(store, run: id, key: "acc", split: "eval").count == 1)
        #expect(try Self.metricRows(store, run: id, key: "odd", split: "eval").count == 1)
        let kept = try #require(try store.json("ckpt", "ls", id, "--json") as? [[String: Any]])
        #expect(Set(kept.compactMap { $0["epoch"] as? Int }) == [1, 2])
        let leftovers = try TestProcess.run("/usr/bin/find", [store.path, "-name", ".cairn-tmp-*"])
        #expect(leftovers.stdout.isEmpty, "\(leftovers.stdout)")
        #expect(try store.cairn("ckpt", "verify", id).status == 0)
    }

    /// A loop that only logs, for longer than the agent's answers fit in a pipe (about 1,300 of them):
    /// the client reads them as it goes, so neither side blocks (it once did, after ~26 s of logging).
    @Test func aLongLoopThatOnlyLogsNeverBlocks() throws {
        let store = try CLITestStore()
        let result = try Self.python("""
            import cairn, threading
            run = cairn.init(experiment="py/long")
            done = threading.Event()
            def loop():
                for i in range(6000):
                    # One batch per call, as 6,000 sender wake-ups of a long training would send.
                    run._channel.send("log", entries=[[{"loss": 1.0 / (i + 1)}, i, None, None]])
                done.set()
            threading.Thread(target=loop, daemon=True).start()
            assert done.wait(60), "the client blocked"
            run.finish()
            print(run.id)
            """, store: store)
        try #require(result.status == 0, "\(result.stderr)")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.metricRows(store, run: id, key: "loss").count == 6000)
    }

    @Test func aRunOfExecIsServedOnItsSocketToTwoRanks() throws {
        let store = try CLITestStore()
        let folder = try TemporaryDirectory("cairn-py")
        let script = folder.appending("train.py")
        try Data("""
            import os, subprocess, sys, cairn
            if os.environ.get("RANK") is None:
                ranks = [subprocess.Popen([sys.executable, __file__], env=dict(os.environ, RANK=str(r))) for r in (0, 1)]
                assert all(p.wait() == 0 for p in ranks)
                sys.exit(0)
            rank = int(os.environ["RANK"])
            run = cairn.init(tags={f"rank{rank}": "yes"})
            assert run.id == os.environ["CAIRN_RUN_ID"]
            for i in range(500):
                run.log({f"loss_rank{rank}": float(i)}, step=i)
            with run.checkpoint(epoch=rank) as path:
                open(path, "wb").write(b"r" * 10)
            run.finish()
            """.utf8).write(to: script)
        let ran = try store.cairn(["exec", "-e", "py/exec", "--no-git", "--", TestPython.executable, script.path],
                                  environment: ["CAIRN_BIN": PackagePaths.cairnBinary])
        try #require(ran.status == 0, "\(ran.stderr)")
        let id = try store.output("latest", "py/exec")
        let details = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(details["status"] as? String == "FINISHED")
        let tags = details["tags"] as? [String: Any] ?? [:]
        #expect(tags["rank0"] as? String == "yes" && tags["rank1"] as? String == "yes")
        let rows = try Self.metricRows(store, run: id, key: "loss_rank0") + Self.metricRows(store, run: id, key: "loss_rank1")
        #expect(rows.filter { $0["key"] as? String == "loss_rank0" }.count == 500)
        #expect(rows.filter { $0["key"] as? String == "loss_rank1" }.count == 500)
        // Only rank 0 saves.
        let kept = try #require(try store.json("ckpt", "ls", id, "--json") as? [[String: Any]])
        #expect(kept.compactMap { $0["epoch"] as? Int } == [0])
    }

    @Test func badInputRaisesAtTheCallSite() throws {
        let store = try CLITestStore()
        let folder = try TemporaryDirectory("cairn-py-sock")
        let result = try Self.python("""
            import cairn, os, socket, sys
            def expect(kind, body, text):
                try:
                    body()
                except kind as error:
                    assert text in str(error), (text, str(error))
                else:
                    raise AssertionError(f"no {kind.__name__} for {text}")
            expect(ValueError, lambda: cairn.init(experiment="a/../b"), "..")
            run = cairn.init(experiment="py/bad")
            expect(TypeError, lambda: run.log({"loss": "high"}), "not a number")
            expect(TypeError, lambda: run.log({"loss": [1, 2]}), "not a number")
            expect(ValueError, lambda: run.log({"lo\\x01ss": 1.0}), "control character")
            expect(ValueError, lambda: run.log_params({"a\\x02b": 1}), "control character")
            expect(TypeError, lambda: run.log({"loss": 10 ** 400}), "too large")
            expect(TypeError, lambda: run.log({"loss": True}), "not a number")
            for step in ("3", 2.5, True, None.__class__):
                expect(TypeError, lambda: run.log({"loss": 1.0}, step=step), "not a whole number")
            run.log({"loss": 1.0}, step=1)
            import numpy
            run.log({"loss": numpy.float32(0.5), "acc": 1}, step=numpy.int64(2))
            run.finish()
            # A stale socket (nobody listens) and one of another user are refused.
            folder = sys.argv[1]
            os.chmod(folder, 0o700)
            stale = os.path.join(folder, "stale.sock")
            s = socket.socket(socket.AF_UNIX); s.bind(stale); s.close()
            os.environ["CAIRN_SOCKET"] = stale
            expect(cairn.CairnConnectionError, lambda: cairn.init(), "does not answer")
            other = os.path.join(folder, "other.sock")
            s = socket.socket(socket.AF_UNIX); s.bind(other); s.listen(1)
            os.chown(other, 65534, 65534)
            os.environ["CAIRN_SOCKET"] = other
            expect(cairn.CairnConnectionError, lambda: cairn.init(), "not a Cairn socket of this user")
            print("ok")
            """, [folder.path], store: store)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok"))
        // The run logged before the bad calls is whole, and nothing of the refused calls is in the store.
        let id = try store.output("latest", "py/bad")
        let rows = try Self.metricRows(store, run: id, key: "loss")
        #expect(rows.count == 2)
        #expect(rows.last?["step"] as? Int == 2 && rows.last?["value"] as? Double == 0.5)
        #expect(try Self.metricRows(store, run: id, key: "acc").count == 1)
    }

    /// `examples/train.py` (numpy, the README's Python example) trained under `cairn exec`, twice: the
    /// second run resumes from the first one's latest checkpoint.
    @Test func theExampleTrainsUnderExecAndResumes() throws {
        let store = try CLITestStore()
        let example = PackagePaths.root.appendingPathComponent("examples/train.py").path
        for round in 0..<2 {
            let ran = try store.cairn(["exec", "-e", "examples/spirals", "--no-git", "--add", "epochs=2", "--", TestPython.executable, example],
                                      environment: ["CAIRN_BIN": PackagePaths.cairnBinary])
            try #require(ran.status == 0, "round \(round): \(ran.stderr)")
            #expect(ran.stdout.contains("best checkpoint: epoch"), "\(ran.stdout)")
        }
        let id = try store.output("latest", "examples/spirals")
        let details = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(details["status"] as? String == "FINISHED")
        #expect(((details["tags"] as? [String: Any])?["resumed_from"] as? String)?.hasSuffix(".npz") == true)
        let kept = try #require(try store.json("ckpt", "ls", id, "--json") as? [[String: Any]])
        #expect(kept.compactMap { $0["epoch"] as? Int }.sorted() == [2, 3])
        #expect(try Self.metricRows(store, run: id, key: "accuracy", split: "eval").count == 2)
        #expect(try store.cairn("ckpt", "verify", id).status == 0)
    }
}
