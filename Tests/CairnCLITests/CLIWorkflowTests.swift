import Foundation
import Testing
import CairnTestSupport

/// The everyday commands, end to end through the built binary.
@Suite struct CLIWorkflowTests {
    @Test func initExperimentsAndRuns() throws {
        let store = try CLITestStore()
        #expect(FileManager.default.fileExists(atPath: store.path + "/cairn.yaml"))
        #expect(FileManager.default.fileExists(atPath: store.path + "/.cairn"))
        try store.output("exp", "new", "vae/baseline")
        try store.output("exp", "new", "vae/high_beta")
        let experiments = try #require(try store.json("exp", "ls", "--json") as? [[String: Any]])
        #expect(experiments.map { $0["name"] as? String } == ["vae/baseline", "vae/high_beta"])
        #expect(experiments.map { $0["id"] as? String } == ["1", "2"])

        // run new prints the run folder, which is named by the layout: <experiment>/<run id>.
        let folder = try store.output("run", "new", "-e", "vae/baseline", "--no-git", "--name", "first")
        #expect(folder.hasPrefix(store.path + "/vae/baseline/2"))
        let id = URL(fileURLWithPath: folder).lastPathComponent
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/run.json"))) as? [String: Any])
        #expect(record["status"] as? String == "RUNNING")
        #expect(record["id"] as? String == id)
        #expect(record["experiment"] as? String == "vae/baseline")
        #expect(record["name"] as? String == "first")

        // latest and path agree, and a prefix resolves.
        #expect(try store.output("latest", "vae/baseline") == id)
        #expect(try store.output("path", "vae/baseline", "latest") == folder)
        #expect(try store.output("path", "vae/baseline") == store.path + "/vae/baseline")
        #expect(try store.output("path", String(id.prefix(20))) == folder)
        #expect(try store.output("path", "vae/baseline", id) == folder)

        try store.output("run", "tag", id, "owner=ana", "note=a b=c")
        try store.output("run", "param", id, "batch=64")
        let shown = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect((shown["tags"] as? [String: String]) == ["owner": "ana", "note": "a b=c"])
        // Params keep their text and give their typed value (docs/FORMAT.md, JSON output).
        let batch = try #require((shown["params"] as? [String: [String: Any]])?["batch"])
        #expect(batch["text"] as? String == "64" && batch["value"] as? Int == 64, "\(batch)")
        #expect(shown["liveness"] as? String == "alive")
        let text = try store.output("run", "show", id)
        #expect(text.contains("status      RUNNING"))
        #expect(text.contains("owner = ana"))

        try store.output("run", "finish", String(id.prefix(22)))
        let second = try store.newRun("vae/baseline")
        try store.output("run", "fail", second)
        let runs = try #require(try store.json("run", "ls", "-e", "vae/baseline", "--json") as? [[String: Any]])
        #expect(runs.map { $0["id"] as? String } == [id, second])
        #expect(runs.map { $0["status"] as? String } == ["FINISHED", "FAILED"])
        #expect(runs[0]["duration_seconds"] is Double)
        #expect(try store.output("latest", "vae/baseline") == second)
        let table = try store.output("run", "ls")
        #expect(table.hasPrefix("RUN"))
        #expect(table.contains("FINISHED") && table.contains("FAILED") && table.contains("vae/baseline"))
    }

    @Test func exactExperimentNameWinsOverRunPrefix() throws {
        let store = try CLITestStore()
        let id = try store.newRun("other")
        // An experiment whose name is a prefix of the run id.
        let name = String(id.prefix(8))
        try store.output("exp", "new", name)
        #expect(try store.output("path", name) == store.path + "/" + name)
        #expect(try store.output("path", String(id.prefix(10))) == store.path + "/other/" + id)
    }

    @Test func storeIsFoundLikeGit() throws {
        let store = try CLITestStore()
        try store.output("exp", "new", "a")
        let nested = store.url.appendingPathComponent("a/deep/er")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let walked = try CLI.run(["exp", "ls", "--json"], directory: nested)
        #expect(walked.status == 0, "\(walked.stderr)")
        #expect(walked.stdout.contains("\"a\""))
        // CAIRN_STORE beats walking up; --store beats CAIRN_STORE.
        let other = try CLITestStore()
        try other.output("exp", "new", "b")
        let viaEnv = try CLI.run(["exp", "ls", "--json"], environment: ["CAIRN_STORE": other.path], directory: nested)
        #expect(viaEnv.stdout.contains("\"b\"") && !viaEnv.stdout.contains("\"a\""))
        let viaFlag = try CLI.run(["exp", "ls", "--json", "--store", store.path], environment: ["CAIRN_STORE": other.path])
        #expect(viaFlag.stdout.contains("\"a\"") && !viaFlag.stdout.contains("\"b\""))
    }

    @Test func configSnapshotReadsBackInPyYAML() throws {
        let store = try CLITestStore()
        let config = store.path + "-cfg.json"
        defer { try? FileManager.default.removeItem(atPath: config) }
        try #"{"training": {"lr": 0.001, "epochs": 10, "amp": false}, "name": "base", "tags": ["a", "b"]}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        let folder = try store.output("run", "new", "-e", "x", "--no-git", "--config", config,
                                      "--set", "training.lr=3e-4", "--set", "training.epochs=20", "--set", "training.amp=yes",
                                      "--set", "name=123", "--add", "data.sizes=[1, 2.5, null]", "--set", "+data.flag=on",
                                      "--add", "data.note='yes'", "--add", "data.none=null")
        let script = """
            import sys, yaml, json
            d = yaml.safe_load(open(sys.argv[1]))
            def t(v):
                if isinstance(v, dict): return {k: t(x) for k, x in v.items()}
                if isinstance(v, list): return [t(x) for x in v]
                return [type(v).__name__, repr(v)]
            print(json.dumps(t(d)))
            """
        let result = try TestPython.run(script, [folder + "/config.yaml"])
        try #require(result.status == 0, "python: \(result.stderr)")
        let read = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let training = try #require(read["training"] as? [String: [String]])
        #expect(training["lr"] == ["float", "0.0003"])
        #expect(training["epochs"] == ["int", "20"])
        #expect(training["amp"] == ["bool", "True"])
        #expect(read["name"] as? [String] == ["str", "'123'"])
        #expect(read["tags"] as? [[String]] == [["str", "'a'"], ["str", "'b'"]])
        let data = try #require(read["data"] as? [String: Any])
        #expect(data["sizes"] as? [[String]] == [["int", "1"], ["float", "2.5"], ["NoneType", "None"]])
        #expect(data["flag"] as? [String] == ["bool", "True"])
        #expect(data["note"] as? [String] == ["str", "'yes'"])
        #expect(data["none"] as? [String] == ["NoneType", "None"])
        // The overrides and the source are recorded; params are the flattened keys.
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/run.json"))) as? [String: Any])
        // --add words first, written +KEY=VALUE, then the --set words (a +KEY there kept as given).
        #expect(record["config_overrides"] as? [String] == [
            "+data.sizes=[1, 2.5, null]", "+data.note='yes'", "+data.none=null", "training.lr=3e-4", "training.epochs=20",
            "training.amp=yes", "name=123", "+data.flag=on",
        ])
        #expect(record["config_source"] as? String == config)
        let params = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/params.json"))) as? [String: String])
        #expect(params["training.lr"] == "0.0003")
        #expect(params["data.sizes"] == "[1, 2.5, null]")
    }

    @Test func layoutsAndCompletion() throws {
        let layouts = try CLI.run(["layout", "ls", "--json"])
        #expect(layouts.status == 0)
        for name in ["cairn", "prompt-tree", "run-dirs", "pretrain-finetune", "typed-folders", "model-type-experiments"] {
            #expect(layouts.stdout.contains("\"\(name)\""), "missing layout \(name)")
        }
        let shown = try CLI.run(["layout", "show", "run-dirs"])
        #expect(shown.stdout.contains("RUN_{start:%Y%m%d_%H%M%S_%f}"))
        for shell in ["bash", "zsh", "fish"] {
            let script = try CLI.run(["--generate-completion-script", shell])
            #expect(script.status == 0)
            #expect(script.stdout.contains("cairn"))
        }
    }

    @Test func runDirsLayoutStore() throws {
        let store = try CLITestStore(layout: "run-dirs")
        let folder = try store.output("run", "new", "-e", "yolox_s_coco", "--no-git")
        let name = URL(fileURLWithPath: folder).lastPathComponent
        #expect(folder.hasPrefix(store.path + "/checkpoints/yolox_s_coco/RUN_"))
        #expect(name.count == "RUN_20230815_235959_000123".count)
        #expect(try store.output("path", "yolox_s_coco", "latest") == folder)
    }
}

/// `cairn demo` end to end: three runs, checkpoints under top-k, readable by the real safetensors, and the
/// best run replayed through the MLflow server.
@Suite struct CLIDemoTests {
    @Test func demoTrainsAndKeepsReadableCheckpoints() throws {
        let directory = try TemporaryDirectory("cairn-demo")
        let store = directory.path + "/store"
        let result = try CLI.run(["demo", store])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Best run:"))
        // What the store takes on disk, by kind, as cairn du counts it.
        let disk = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("Disk (cairn du") })
        #expect(disk.contains("checkpoints") && disk.contains("artifacts") && disk.contains("cairn trash"), "\(disk)")
        // The hand-rolled tree's checkpoints, hashed once adopted, are checked against those hashes after
        // the migration moved them.
        let verified = try #require(result.stdout.split(separator: "\n").first { $0.contains("verified after the move:") })
        let match = try #require(verified.firstMatch(of: /move: (\d+) checkpoints, (\d+) against their sha256 from before it, all match$/),
                                 "\(verified)")
        #expect(Int(match.1)! > 0 && match.1 == match.2, "\(verified)")
        // The runs' metrics as a TensorBoard logdir, adopted: every point read back as logged.
        let logdir = try #require(result.stdout.split(separator: "\n").first { $0.contains("read back:") })
        let points = try #require(logdir.firstMatch(of: /read back: (\d+) of (\d+) points, every step and value as logged$/), "\(logdir)")
        #expect(Int(points.1)! > 0 && points.1 == points.2)
        // The best run replayed through MLflow's REST API: a run of its own, found by the search.
        let replayed = try #require(result.stdout.split(separator: "\n").first { $0.contains("runs/search") })
        #expect(replayed.hasSuffix(": found; metrics/get-history: every point back"), "\(replayed)")
        let replays = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["run", "ls", "-e", "demo/mlflow-replay", "--json", "--store", store]).stdout.utf8)) as? [[String: Any]])
        #expect(replays.count == 1 && replays.first?["status"] as? String == "FINISHED")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["run", "ls", "-e", "demo/spirals", "--json", "--store", store]).stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0["status"] as? String == "FINISHED" })
        var averaged = 0
        for run in runs {
            let id = try #require(run["id"] as? String)
            let kept = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["ckpt", "ls", id, "--json", "--store", store]).stdout.utf8)) as? [[String: Any]])
            #expect(kept.count <= 3 && kept.count >= 2, "top 2 plus last")
            let best = try CLI.run(["ckpt", "best", id, "--store", store]).stdout.trimmingCharacters(in: .newlines)
            let script = """
                import sys, json
                from safetensors.numpy import load_file
                from safetensors import safe_open
                t = load_file(sys.argv[1])
                with safe_open(sys.argv[1], "np") as f: meta = f.metadata()
                print(json.dumps({k: list(v.shape) for k, v in t.items()} | {"__epoch__": meta["epoch"]}))
                """
            let read = try TestPython.run(script, [best])
            try #require(read.status == 0, "python: \(read.stderr)")
            let shapes = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
            #expect(shapes["fc1.weight"] as? [Int] != nil)
            #expect((shapes["fc2.bias"] as? [Int]) == [3])
            let epoch = try #require(kept.first { ($0["pointers"] as? [String])?.contains("best") == true }?["epoch"] as? Int)
            #expect(shapes["__epoch__"] as? String == String(epoch))
            // The run's NumPy files, at its layout's embeddings and predictions places, read by numpy: probabilities per validation point, digests as recorded.
            let folder = try #require(run["folder"] as? String)
            let arrays = """
                import hashlib, json, sys
                import numpy as np
                folder = sys.argv[1]
                records = {}
                averages = []
                for line in open(folder + "/artifacts.jsonl"):
                    record = json.loads(line)
                    if record.get("kind") == "average":
                        averages.append(record)
                    else:
                        records[record["path"]] = record["sha256"]
                out = {}
                for path in ["embeddings/val_embeddings.npy", "predictions/val_predictions.npy"]:
                    data = open(folder + "/" + path, "rb").read()
                    a = np.load(folder + "/" + path)
                    out[path] = [str(a.dtype), list(a.shape), hashlib.sha256(data).hexdigest() == records.get(path)]
                p = np.load(folder + "/predictions/val_predictions.npy")
                out["rows_sum_to_one"] = bool(np.allclose(p.sum(axis=1), 1, atol=1e-5))
                # The best run's averages: safetensors read by the real package, the PyTorch zip checked by
                # CPython's zipfile (every CRC-32), both recorded with their two sources and sha256.
                from safetensors.numpy import load_file
                import os, zipfile
                if os.path.exists(folder + "/checkpoints/average.safetensors"):
                    weights = load_file(folder + "/checkpoints/average.safetensors")
                    z = zipfile.ZipFile(folder + "/checkpoints/average.pt")
                    out["averages"] = [sorted(weights), z.testzip() is None, sorted(n.split("/", 1)[1] for n in z.namelist())[:3],
                                   [(a["file"], len(a["sources"]), hashlib.sha256(open(folder + "/" + a["file"], "rb").read()).hexdigest() == a["sha256"]) for a in averages]]
                print(json.dumps(out))
                """
            let loaded = try TestPython.run(arrays, [folder])
            try #require(loaded.status == 0, "python: \(loaded.stderr)")
            let found = try #require(try JSONSerialization.jsonObject(with: Data(loaded.stdout.utf8)) as? [String: Any])
            let predictions = try #require(found["predictions/val_predictions.npy"] as? [Any])
            #expect(predictions[0] as? String == "float32" && predictions[1] as? [Int] == [150, 3] && predictions[2] as? Bool == true, "\(found)")
            #expect(((found["embeddings/val_embeddings.npy"] as? [Any])?[2] as? Bool) == true && found["rows_sum_to_one"] as? Bool == true, "\(found)")
            guard let averages = found["averages"] as? [Any] else { continue }
            averaged += 1
            #expect(averages[0] as? [String] == ["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"] && averages[1] as? Bool == true, "\(averages)")
            #expect(averages[2] as? [String] == [".data/serialization_id", ".format_version", ".storage_alignment"], "\(averages)")
            let records = try #require(averages[3] as? [[Any]])
            #expect(records.map { $0[0] as? String } == ["checkpoints/average.safetensors", "checkpoints/average.pt"], "\(records)")
            #expect(records.allSatisfy { $0[1] as? Int == 2 && $0[2] as? Bool == true }, "\(records)")
        }
        #expect(averaged == 1, "the best run's checkpoints are averaged, and only its")
    }
}
