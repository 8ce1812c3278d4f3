import CairnTestSupport
import Foundation
import Testing

/// MLflow's file store (`mlruns/`) written by the real mlflow client (Tests/ToolTrees/make_trees.py:
/// a parent run with two nested runs, params, tags and metrics keyed with `/`, artifacts, a failed run,
/// a deleted run, a run in `Default`, a deleted experiment in `.trash/`) adopted in place, then served:
/// the official `MlflowClient` against `cairn serve` reports what it reported against the file store
/// itself (experiments, `search_runs`, `get_metric_history`, `list_artifacts`, `download_artifacts`),
/// the CLI reads the same runs, and damaged files give what can be read with a warning.
@Suite struct CLIAdoptMLflowTests {
    /// `SCRIPT CAIRN OUT URL [ORIGINALS]`: compares what the client reads from `cairn serve` at URL with
    /// reference.json, and the artifacts it downloads with the files under ORIGINALS/mlruns (OUT/mlflow).
    static let compare = ToolTrees.prelude(tool: "mlflow") + #"""
        os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
        import tempfile
        from mlflow import MlflowClient
        from mlflow.entities import ViewType
        client = MlflowClient(tracking_uri=sys.argv[3])
        problems = []
        def check(what, a, b):
            if a != b: problems.append(f"{what}: cairn {a!r}, mlflow {b!r}")
        want_experiments = {e["id"]: e for e in reference["experiments"]}
        got_experiments = {e.experiment_id: e for e in client.search_experiments(view_type=ViewType.ALL)}
        check("experiment ids", sorted(got_experiments), sorted(want_experiments))
        for eid, want in want_experiments.items():
            got = got_experiments.get(eid)
            if got is None: continue
            check(f"experiment {eid} name", got.name, want["name"])
            check(f"experiment {eid} lifecycle", got.lifecycle_stage, want["lifecycle_stage"])
            check(f"experiment {eid} tags", {k: v for k, v in got.tags.items() if not k.startswith("mlflow.")},
                  {k: v for k, v in want["tags"].items() if not k.startswith("mlflow.")})
        runs = client.search_runs(sorted(want_experiments), run_view_type=ViewType.ALL, order_by=["attributes.start_time ASC"])
        check("run ids in order", [r.info.run_id for r in runs], [r["run_id"] for r in reference["runs"]])
        got_runs = {r.info.run_id: r for r in runs}
        for want in reference["runs"]:
            rid = want["run_id"]
            r = got_runs.get(rid) or client.get_run(rid)
            i, d = r.info, r.data
            for field in ["run_name", "experiment_id", "status", "start_time", "end_time", "lifecycle_stage", "user_id"]:
                check(f"run {want['run_name']} {field}", getattr(i, field), want[field])
            check(f"run {want['run_name']} params", d.params, want["params"])
            check(f"run {want['run_name']} tags", d.tags, want["tags"])
            check(f"run {want['run_name']} metrics", d.metrics, want["metrics"])
            # get_run answers as search_runs does.
            check(f"run {want['run_name']} get_run", client.get_run(rid).data.params, want["params"])
            for key, points in want["metric_history"].items():
                history = [{"step": m.step, "value": m.value, "timestamp": m.timestamp} for m in client.get_metric_history(rid, key)]
                check(f"run {want['run_name']} history {key}", history, points)
            def artifacts(path=None):
                for f in client.list_artifacts(rid, path):
                    if f.is_dir: yield from artifacts(f.path)
                    else: yield {"path": f.path, "size": f.file_size}
            check(f"run {want['run_name']} artifacts", sorted(artifacts(), key=lambda a: a["path"]), want["artifacts"])
            for artifact in want["artifacts"]:
                with tempfile.TemporaryDirectory() as where:
                    local = client.download_artifacts(rid, artifact["path"], where)
                    originals = sys.argv[4] if len(sys.argv) > 4 else tree
                    original = os.path.join(originals, "mlruns", want["experiment_id"], rid, "artifacts", artifact["path"])
                    if not os.path.exists(original):
                        original = os.path.join(originals, "mlruns", ".trash", want["experiment_id"], rid, "artifacts", artifact["path"])
                    check(f"run {want['run_name']} download {artifact['path']}", open(local, "rb").read(), open(original, "rb").read())
        # A filter and an order over the adopted runs, as MLflow's own store answers them.
        filtered = client.search_runs(sorted(want_experiments), "metrics.loss < 1 and params.lr = '0.1'", order_by=["metrics.loss DESC"])
        want_filtered = [r["run_id"] for r in reference["runs"] if r["lifecycle_stage"] == "active"
                         and r["metrics"].get("loss", 99) < 1 and r["params"].get("lr") == "0.1"]
        check("filtered runs", [r.info.run_id for r in filtered], want_filtered)
        print(json.dumps({"runs": len(reference["runs"]), "filtered": len(want_filtered), "problems": problems}))
        """#

    @Test func theMLflowClientReadsAnAdoptedFileStoreAsItReadsMLflowsOwn() throws {
        let out = try TemporaryDirectory("cairn-mlflow")
        try ToolTrees.make(out.path + "/trees", only: "mlflow")
        let tree = out.path + "/trees/mlflow/mlruns", store = out.path + "/trees/mlflow"
        let before = try AdoptFixture.digests(URL(fileURLWithPath: tree))
        let adopted = try CLI.run(["adopt", tree, "--json"])
        try #require(adopted.status == 0, "\(adopted.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(adopted.stdout.utf8)) as? [String: Any])
        #expect(report["layout"] as? String == "mlflow", "auto chose \(report["layout"] ?? "nothing")")
        // The store's records go beside mlruns/, whose every folder MLflow reads as an experiment.
        #expect(report["store"] as? String == store && !FileManager.default.fileExists(atPath: tree + "/.cairn"), "\(report)")
        let server = try ServeProcess(["--store", store], in: out.path)
        defer { _ = server.stop() }
        let result = try TestPython.run(Self.compare, [PackagePaths.cairnBinary, out.path + "/trees", server.url])
        try #require(result.status == 0, "\(result.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(answer["runs"] as? Int == 7)
        #expect(answer["filtered"] as? Int == 1)
        #expect((answer["problems"] as? [String]) == [], "\((answer["problems"] as? [String])?.joined(separator: "\n") ?? "")")
        // Neither adopting nor serving wrote into the tree.
        #expect(try AdoptFixture.digests(URL(fileURLWithPath: tree)) == before)
    }

    @Test func migratingToCairnsLayoutKeepsEveryByteAndValue() throws {
        let out = try TemporaryDirectory("cairn-mlflow-migrate")
        try ToolTrees.make(out.path + "/trees", only: "mlflow")
        let tree = out.path + "/trees/mlflow/mlruns", store = out.path + "/trees/mlflow"
        let copied = try TestProcess.run("/bin/cp", ["-a", out.path + "/trees/mlflow", out.path + "/originals"])
        try #require(copied.status == 0)
        #expect(try CLI.run(["adopt", tree]).status == 0)
        try ToolTrees.migrateToCairnAndBack(tree, store: store, tool: "mlflow") {
            // Runs are in EXPERIMENT/RUN_ID/ folders named as MLflow names the experiment…
            #expect(FileManager.default.fileExists(atPath: tree + "/vision/resnet"))
            // …and the MLflow client still reads what it read from the file store, ids included.
            let server = try ServeProcess(["--store", store], in: out.path)
            defer { _ = server.stop() }
            let result = try TestPython.run(Self.compare, [PackagePaths.cairnBinary, out.path + "/trees", server.url, out.path + "/originals"])
            try #require(result.status == 0, "\(result.stderr)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect((answer["problems"] as? [String]) == [], "\((answer["problems"] as? [String])?.joined(separator: "\n") ?? "")")
        }
    }

    @Test func theCLIReadsTheRunsAndKeepsReadingMetricsTheFileStoreAppends() throws {
        let out = try TemporaryDirectory("cairn-mlflow-cli")
        try ToolTrees.make(out.path + "/trees", only: "mlflow")
        let tree = out.path + "/trees/mlflow/mlruns", store = out.path + "/trees/mlflow"
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + "/trees/reference.json"))) as? [String: Any])
        let runs = try #require((reference["mlflow"] as? [String: Any])?["runs"] as? [[String: Any]])
        let child = try #require(runs.first { $0["run_name"] as? String == "lr-0.1" })
        let childID = try #require(child["run_id"] as? String)
        let experimentID = try #require(child["experiment_id"] as? String)
        // A run still running at adoption (MLflow's status 1, no end): it ends in Cairn when MLflow
        // rewrites its meta.yaml at end_run.
        let sibling = try #require(runs.first { $0["run_name"] as? String == "lr-0.01" })
        let siblingID = try #require(sibling["run_id"] as? String)
        let meta = tree + "/\(experimentID)/\(siblingID)/meta.yaml"
        let ended = try String(contentsOfFile: meta, encoding: .utf8)
        let running = ended.split(separator: "\n").map { line in
            line.hasPrefix("status:") ? "status: 1" : line.hasPrefix("end_time:") ? "end_time: null" : String(line)
        }.joined(separator: "\n") + "\n"
        try running.write(toFile: meta, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["adopt", tree, "--layout", "mlflow"]).status == 0)
        func status(_ id: String) throws -> String? {
            let shown = try CLI.run(["run", "show", id, "--json", "--store", store])
            return (try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["status"] as? String
        }
        #expect(try status(siblingID) == "RUNNING")
        let runningRows = try CLI.run(["run", "ls", "--status", "RUNNING", "--json", "--store", store])
        #expect(runningRows.stdout.contains(siblingID), "\(runningRows.stdout)")
        try ended.write(toFile: meta, atomically: true, encoding: .utf8)
        #expect(try status(siblingID) == "FINISHED")
        // Listed as it is now: a listing reads again the runs it returns whose files changed (a search that
        // would only now select it notices within the index's sweep interval).
        let listedRows = try CLI.run(["run", "ls", "--json", "--store", store])
        let listedNowRows = try #require(try JSONSerialization.jsonObject(with: Data(listedRows.stdout.utf8)) as? [[String: Any]])
        #expect(listedNowRows.first { $0["id"] as? String == siblingID }?["status"] as? String == "FINISHED", "\(listedRows.stdout)")
        // MLflow's run id is the run's id; its `eval/acc` is the key `acc` of the split `eval`.
        let listed = try CLI.run(["run", "ls", "-e", "vision/resnet", "--filter", "metrics.`eval/acc` > 0.6", "--json", "--store", store])
        #expect(listed.status == 0, "\(listed.stderr)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(Set(found.compactMap { $0["id"] as? String }).count == 2, "\(listed.stdout)")
        #expect(found.contains { $0["id"] as? String == childID && $0["name"] as? String == "lr-0.1" })
        // A script still logging to the file store appends a line: read on the next use.
        let lossFile = tree + "/\(experimentID)/\(childID)/metrics/loss"
        let handle = try #require(FileHandle(forWritingAtPath: lossFile))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("1700000099000 0.125 7\n".utf8))
        try handle.close()
        let history = try CLI.run(["metric", "show", childID, "--key", "loss", "--json", "--store", store])
        #expect(history.status == 0, "\(history.stderr)")
        let points = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(points.last?["step"] as? Int == 7 && points.last?["value"] as? Double == 0.125, "\(history.stdout)")
        // A run a search returns is read again when its files changed: its metric is the new point's.
        let latest = try CLI.run(["run", "ls", "--filter", "metrics.loss < 0.5", "--columns", "metrics.loss", "--json", "--store", store])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(latest.stdout.utf8)) as? [[String: Any]], "\(latest.stderr)")
        let row = rows.first { $0["id"] as? String == childID }
        #expect((row?["columns"] as? [String: Any])?["metrics.loss"] as? Double == 0.125, "\(latest.stdout)")
        // MLflow itself keeps using the file store after the adoption (nothing of Cairn's is in mlruns/),
        // and the runs it makes there, in an experiment of its own too, are listed by the next command.
        let script = """
            import os, sys
            os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
            import mlflow
            mlflow.set_tracking_uri("file:" + sys.argv[1])
            mlflow.set_experiment("vision/resnet")
            with mlflow.start_run(run_name="later") as run:
                mlflow.log_metric("loss", 0.1, step=3)
            experiment = mlflow.set_experiment("brand/new")
            with mlflow.start_run(run_name="fresh") as fresh:
                mlflow.log_param("lr", "0.5")
            print(run.info.run_id, fresh.info.run_id, experiment.experiment_id)
            """
        let logged = try TestPython.run(script, [tree])
        try #require(logged.status == 0, "\(logged.stderr)")
        let ids = logged.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try #require(ids.count == 3)
        let all = try CLI.run(["run", "ls", "--json", "--store", store])
        let listedNow = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]], "\(all.stderr)")
        #expect(listedNow.contains { $0["id"] as? String == ids[0] && $0["experiment"] as? String == "vision/resnet" && $0["name"] as? String == "later" }, "\(all.stdout)")
        #expect(listedNow.contains { $0["id"] as? String == ids[1] && $0["experiment"] as? String == "brand/new" && $0["experiment_id"] as? String == ids[2] }, "\(all.stdout)")
    }

    @Test func damagedFilesGiveWhatCanBeReadWithAWarningAndNoChangedByte() throws {
        let out = try TemporaryDirectory("cairn-mlflow-damaged")
        try ToolTrees.make(out.path + "/trees", only: "mlflow")
        let tree = out.path + "/trees/mlflow/mlruns", store = out.path + "/trees/mlflow"
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + "/trees/reference.json"))) as? [String: Any])
        let runs = try #require((reference["mlflow"] as? [String: Any])?["runs"] as? [[String: Any]])
        func folder(_ name: String) throws -> String {
            let run = try #require(runs.first { $0["run_name"] as? String == name })
            return tree + "/\(run["experiment_id"] as! String)/\(run["run_id"] as! String)"
        }
        // A meta.yaml cut short in a quoted value, a metric line with a bad number, and a run folder
        // whose meta.yaml is gone.
        let cut = try folder("crashed") + "/meta.yaml"
        let text = try String(contentsOfFile: cut, encoding: .utf8)
        let start = try #require(text.range(of: "experiment_id: '"))
        try String(text[..<start.upperBound]).write(toFile: cut, atomically: false, encoding: .utf8)
        let metric = try folder("lr-0.01") + "/metrics/loss"
        let lines = try String(contentsOfFile: metric, encoding: .utf8).split(separator: "\n")
        try (lines[0] + "\n" + "1700000000000 not-a-number 1\n" + lines.dropFirst().joined(separator: "\n") + "\n").write(toFile: metric, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: try folder("in-default") + "/meta.yaml")
        let before = try AdoptFixture.digests(URL(fileURLWithPath: tree))
        let adopted = try CLI.run(["adopt", tree])
        #expect(adopted.status == 0, "\(adopted.stderr)")
        #expect(adopted.stdout.contains("\(cut):") && adopted.stdout.contains("the run keeps what its folder says"), "\(adopted.stdout)")
        let crashedID = try #require(runs.first { $0["run_name"] as? String == "crashed" }?["run_id"] as? String)
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["run", "show", crashedID, "--json", "--store", store]).stdout.utf8)) as? [String: Any])
        let lr = (shown["params"] as? [String: Any])?["lr"] as? [String: Any]
        #expect(lr?["text"] as? String == "1.0", "\(shown)")
        let childID = try #require(runs.first { $0["run_name"] as? String == "lr-0.01" }?["run_id"] as? String)
        let history = try CLI.run(["metric", "show", childID, "--key", "loss", "--json", "--store", store])
        #expect(history.status == 0)
        #expect(history.stderr.contains(metric + ":2: not a point"), "\(history.stderr)")
        let points = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(points.count == lines.count, "\(history.stdout)")
        let defaultRunID = try #require(runs.first { $0["run_name"] as? String == "in-default" }?["run_id"] as? String)
        #expect(try CLI.run(["run", "show", defaultRunID, "--store", store]).status == 0)
        #expect(try AdoptFixture.digests(URL(fileURLWithPath: tree)) == before)
        // Migrating to a layout that reads another tool's files is refused: it would lose what MLflow's say.
        let migrate = try CLI.run(["migrate", "--to", "sacred", "--store", store])
        #expect(migrate.status != 0 && migrate.stderr.split(separator: "\n").count == 1 && migrate.stderr.contains("would lose them"), "\(migrate.stderr)")
        #expect(try AdoptFixture.digests(URL(fileURLWithPath: tree)) == before)
    }
}
