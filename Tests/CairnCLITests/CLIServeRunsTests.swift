import Foundation
import Testing
import CairnTestSupport

/// MLflow runs through `cairn serve`, driven by the official client (mlflow-skinny, pinned): the whole
/// life of a training script's run — params, 1,000 metric steps, tags, a nested run, artifacts of a file
/// and a folder, listing and download, a search with a filter and an order, metric history, reopening,
/// soft delete and restore, experiment tags, renames and deletion, MLflow's `Default` experiment — each
/// result asserted, then the same runs read by the CLI from the store, and a run made by `cairn exec`
/// found by the client.
@Suite(.serialized) struct CLIServeRunsTests {
    static let client = #"""
import json, math, os, sys, tempfile
import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException
url, work = sys.argv[1], sys.argv[2]
mlflow.set_tracking_uri(url)
client = MlflowClient(tracking_uri=url)
out = {}
def code(call):
    try:
        call()
        return "ok"
    except MlflowException as error:
        return error.error_code
exp = mlflow.set_experiment("/Shared/mnist")
out["exp_name"] = exp.name
with open(os.path.join(work, "notes.txt"), "w") as f:
    f.write("hello artifacts\n")
os.makedirs(os.path.join(work, "plots", "deep"), exist_ok=True)
for name in ["a.txt", "deep/b.txt"]:
    with open(os.path.join(work, "plots", name), "w") as f:
        f.write("plot " + name)
with mlflow.start_run(run_name="lr 0.01/adam") as run:
    rid = run.info.run_id
    mlflow.log_param("lr", 0.01)
    mlflow.log_params({"batch": 32, "optimizer": "adam"})
    for step in range(1000):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_metrics({"val/accuracy": 0.9, "eval/loss": 0.25, "weird": float("nan"), "big": float("inf")}, step=999)
    mlflow.set_tag("team", "vision")
    mlflow.set_tags({"stage": "dev", "gpu": "a100"})
    with mlflow.start_run(nested=True, run_name="child") as child:
        cid = child.info.run_id
        mlflow.log_metric("loss", 0.75)
    mlflow.log_artifact(os.path.join(work, "notes.txt"))
    mlflow.log_artifacts(os.path.join(work, "plots"), artifact_path="plots")
    out["same_param"] = code(lambda: mlflow.log_param("lr", 0.01))
    out["changed_param"] = code(lambda: mlflow.log_param("lr", 0.02))
    client.log_batch(rid, metrics=[Metric("batch_metric", float(i), 0, i) for i in range(1000)])
got = client.get_run(rid)
out["status"] = got.info.status
out["name"] = got.info.run_name
out["params"] = got.data.params
out["metrics"] = {k: (v if math.isfinite(v) else str(v)) for k, v in got.data.metrics.items()}
out["tags"] = {k: v for k, v in got.data.tags.items() if not k.startswith("mlflow.source")}
out["child_parent"] = client.get_run(cid).data.tags.get("mlflow.parentRunId") == rid
out["artifacts"] = [(f.path, f.is_dir, f.file_size) for f in client.list_artifacts(rid)]
out["plots"] = [(f.path, f.is_dir) for f in client.list_artifacts(rid, "plots")]
down = client.download_artifacts(rid, "", tempfile.mkdtemp())
out["downloaded"] = sorted(os.path.relpath(os.path.join(r, f), down) for r, _, fs in os.walk(down) for f in fs)
out["downloaded_text"] = open(os.path.join(down, "plots", "deep", "b.txt")).read()
history = client.get_metric_history(rid, "loss")
out["history"] = [len(history), history[0].step, history[0].value, history[-1].step, history[-1].value]
out["val_history"] = [(m.step, m.value) for m in client.get_metric_history(rid, "val/accuracy")]
out["batch_history"] = len(client.get_metric_history(rid, "batch_metric"))
found = mlflow.search_runs(experiment_ids=[exp.experiment_id], filter_string="metrics.loss < 0.5 and params.optimizer = 'adam'",
                           order_by=["metrics.loss ASC"], output_format="list")
out["search"] = [r.info.run_id == rid for r in found]
out["search_all"] = sorted(r.info.run_name for r in mlflow.search_runs(experiment_ids=[exp.experiment_id], order_by=["attributes.start_time ASC"], output_format="list"))
out["bad_filter"] = code(lambda: mlflow.search_runs(experiment_ids=[exp.experiment_id], filter_string="metrics.loss <<< 1"))
with mlflow.start_run(run_id=rid):
    mlflow.log_metric("after_reopen", 1.0)
out["reopened_status"] = client.get_run(rid).info.status
client.delete_tag(rid, "gpu")
out["tag_deleted"] = "gpu" not in client.get_run(rid).data.tags
client.delete_run(cid)
out["deleted_stage"] = client.get_run(cid).info.lifecycle_stage
out["hidden"] = cid not in [r.info.run_id for r in mlflow.search_runs(experiment_ids=[exp.experiment_id], output_format="list")]
out["deleted_only"] = [r.info.run_id == cid for r in mlflow.search_runs(experiment_ids=[exp.experiment_id], run_view_type=2, output_format="list")]
out["log_to_deleted"] = code(lambda: client.log_metric(cid, "x", 1.0))
client.restore_run(cid)
out["restored_stage"] = client.get_run(cid).info.lifecycle_stage
out["unknown_run"] = code(lambda: client.get_run("20200101-000000-000-zzzz"))
# experiments: tags, rename, delete, restore; the default experiment
other = client.create_experiment("scratch", tags={"owner": "me"})
client.set_experiment_tag(other, "k", "v")
out["exp_tags"] = client.get_experiment(other).tags
client.rename_experiment(other, "scratch2")
out["renamed"] = client.get_experiment(other).name
client.delete_experiment(other)
out["exp_deleted"] = client.get_experiment(other).lifecycle_stage
out["exp_hidden"] = "scratch2" not in [e.name for e in client.search_experiments()]
client.restore_experiment(other)
out["exp_restored"] = client.get_experiment(other).lifecycle_stage
mlflow.set_experiment(experiment_id="0")
with mlflow.start_run() as default_run:
    out["default_exp"] = default_run.info.experiment_id
    mlflow.log_metric("m", 1.0)
out["run_id"] = rid
out["child_id"] = cid
print(json.dumps(out))
"""#

    /// The client script's answers: its last line of output (the client prints "View run" lines too).
    static func answers(_ result: TestProcess.Result) throws -> [String: Any] {
        try #require(result.status == 0, "\(result.stderr)")
        let last = try #require(result.stdout.split(separator: "\n").last.map(String.init))
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    @Test(arguments: ServeBackend.all) func aTrainingScriptLogsThroughTheMLflowClient(backend: ServeBackend) throws {
        let store = try CLITestStore()
        let work = try TemporaryDirectory("cairn-serve-work")
        let server = try ServeProcess(["--store", store.path] + backend.arguments(), in: store.path)
        defer { _ = server.stop() }
        let out = try Self.answers(try TestPython.run(Self.client, [server.url, work.path]))
        #expect(out["exp_name"] as? String == "Shared/mnist")
        #expect(out["same_param"] as? String == "ok" && out["changed_param"] as? String == "INVALID_PARAMETER_VALUE")
        #expect(out["status"] as? String == "FINISHED" && out["name"] as? String == "lr 0.01/adam")
        #expect(out["params"] as? [String: String] == ["lr": "0.01", "batch": "32", "optimizer": "adam"])
        let metrics = try #require(out["metrics"] as? [String: Any])
        #expect(metrics["loss"] as? Double == 0.001 && metrics["val/accuracy"] as? Double == 0.9 && metrics["eval/loss"] as? Double == 0.25)
        #expect(metrics["weird"] as? String == "nan" && metrics["big"] as? String == "inf" && metrics["batch_metric"] as? Double == 999)
        let tags = try #require(out["tags"] as? [String: String])
        #expect(tags["team"] == "vision" && tags["stage"] == "dev" && tags["gpu"] == "a100" && tags["mlflow.runName"] == "lr 0.01/adam")
        #expect(out["child_parent"] as? Bool == true)
        #expect((out["artifacts"] as? [[Any]])?.map { "\($0[0])|\($0[1])" } == ["notes.txt|0", "plots|1"])
        #expect((out["plots"] as? [[Any]])?.map { "\($0[0])" } == ["plots/a.txt", "plots/deep"])
        #expect(out["downloaded"] as? [String] == ["notes.txt", "plots/a.txt", "plots/deep/b.txt"])
        #expect(out["downloaded_text"] as? String == "plot deep/b.txt")
        #expect((out["history"] as? [Double]) == [1000, 0, 1.0, 999, 0.001])
        #expect((out["val_history"] as? [[Double]]) == [[999, 0.9]] && out["batch_history"] as? Int == 1000)
        #expect(out["search"] as? [Bool] == [true] && out["search_all"] as? [String] == ["child", "lr 0.01/adam"])
        #expect(out["bad_filter"] as? String == "INVALID_PARAMETER_VALUE")
        #expect(out["tag_deleted"] as? Bool == true)
        #expect(out["deleted_stage"] as? String == "deleted" && out["hidden"] as? Bool == true && out["deleted_only"] as? [Bool] == [true])
        #expect(out["log_to_deleted"] as? String == "INVALID_PARAMETER_VALUE" && out["restored_stage"] as? String == "active")
        #expect(out["unknown_run"] as? String == "RESOURCE_DOES_NOT_EXIST")
        #expect(out["exp_tags"] as? [String: String] == ["owner": "me", "k": "v"] && out["renamed"] as? String == "scratch2")
        #expect(out["exp_deleted"] as? String == "deleted" && out["exp_hidden"] as? Bool == true && out["exp_restored"] as? String == "active")
        #expect(out["default_exp"] as? String == "0")

        // The same runs, from the store's files, through the CLI.
        let runID = try #require(out["run_id"] as? String)
        let shown = try #require(try store.json("run", "show", runID, "--json") as? [String: Any])
        #expect(shown["experiment"] as? String == "Shared/mnist" && shown["status"] as? String == "FINISHED")
        // The MLflow name "lr 0.01/adam" as a name Cairn's folders can hold.
        #expect(shown["name"] as? String == "lr 0.01-adam")
        #expect((shown["tags"] as? [String: String])?["team"] == "vision")
        #expect(((shown["params"] as? [String: Any])?["optimizer"] as? [String: Any])?["text"] as? String == "adam")
        let summaries = try #require(try store.json("metric", "show", runID, "--json") as? [[String: Any]])
        let loss = summaries.first { $0["split"] as? String == "train" && $0["key"] as? String == "loss" }
        #expect(loss?["count"] as? Int == 1000 && loss?["last"] as? Double == 0.001)
        #expect(summaries.contains { $0["split"] as? String == "val" && $0["key"] as? String == "accuracy" })
        #expect(summaries.contains { $0["split"] as? String == "eval" && $0["key"] as? String == "loss" })
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shown["folder"] as! String + "/run.json"))) as? [String: Any])
        #expect((record["reopened_at"] as? [String])?.count == 1)
        // Every uploaded file's digest is in the run's artifacts.jsonl.
        let lines = try String(contentsOfFile: shown["folder"] as! String + "/artifacts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(Set(lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.compactMap { $0["path"] as? String })
                == ["notes.txt", "plots/a.txt", "plots/deep/b.txt"])
        let listed = try #require(try store.json("run", "ls", "-e", "Shared/mnist", "--json") as? [[String: Any]])
        #expect(listed.count == 2)
    }

    @Test(arguments: ServeBackend.all) func aRunMadeByTheCLIIsFoundByTheClient(backend: ServeBackend) throws {
        let store = try CLITestStore()
        let made = try store.cairn(["exec", "-e", "cli/made", "--name", "from-cli", "--no-git", "--", "/bin/true"])
        try #require(made.status == 0, "\(made.stderr)")
        let runs = try #require(try store.json("run", "ls", "-e", "cli/made", "--json") as? [[String: Any]])
        let id = try #require(runs.first?["id"] as? String)
        let logged = try store.cairn(["metric", "log", id, "loss=0.5", "--step", "3"])
        try #require(logged.status == 0, "\(logged.stderr)")
        let server = try ServeProcess(["--store", store.path] + backend.arguments(), in: store.path)
        defer { _ = server.stop() }
        let found = try TestPython.run("""
            import json, sys, mlflow
            mlflow.set_tracking_uri(sys.argv[1])
            runs = mlflow.search_runs(experiment_names=["cli/made"], filter_string="metrics.loss = 0.5", output_format="list")
            print(json.dumps([[r.info.run_name, r.info.status, r.info.lifecycle_stage, r.data.metrics["loss"]] for r in runs]))
            """, [server.url])
        try #require(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == #"[["from-cli", "FINISHED", "active", 0.5]]"#, "\(found.stdout)")
    }
}
