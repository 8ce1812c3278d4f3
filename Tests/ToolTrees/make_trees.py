"""Write small trees with the real MLflow, Hydra, TensorBoard and Sacred, plus what each tool reads back.

    python make_trees.py OUT_DIR [--only mlflow,hydra,tensorboard,sacred]

Each tool runs in its own subprocess (this file again, `--write TOOL`, or a written app) with its cwd
set to OUT_DIR/<tool>, so its default paths are used. OUT_DIR/reference.json then holds what each tool
itself reports through its own API. Values, steps and MLflow metric timestamps are fixed; ids, dates,
times, hosts and users are not (they are in reference.json). Packages: requirements-test.txt.
OUT_DIR/<tool> must not exist yet. reference.json: {"mlflow": {experiments, runs (search_runs, ViewType.ALL,
with metric_history and recursive artifacts)}, "hydra": {jobs: config as the app saw it (resolved),
overrides, output_dir relative to OUT_DIR/hydra}, "tensorboard": {run folder: scalars and tensors,
tag -> [[step, value, wall_time]]}, "sacred": {runs: {id: run.json fields, config, metrics, info}}}.

On-disk shapes, as observed with mlflow-skinny 3.17.2, hydra-core 1.3.8 (omegaconf 2.3.1),
tensorboardX 2.6.5, tensorboard 2.21.0 and sacred 0.8.7:

MLflow file store, OUT_DIR/mlflow/mlruns/ (mlflow-skinny has it; MLflow 3 raises on a `file:` URI unless
MLFLOW_ALLOW_FILE_STORE=true, and its default URI is now sqlite:///mlflow.db, not ./mlruns, so the
writer sets the tracking URI `file:./mlruns` itself):
  <exp_id>/meta.yaml   artifact_location (absolute file:///.../mlruns/<exp_id>), creation_time,
                       last_update_time (ms), experiment_id (a quoted string), lifecycle_stage
                       (active|deleted), name, workspace: default, trace_location: null,
                       effective_trace_archival_retention: null; sometimes `tags: {}` (the real tags
                       are files). Experiment 0 "Default" is made on first use; other ids are
                       long (~18-digit) random decimal strings. Names may hold `/` (not a folder).
  <exp_id>/tags/<key>  one file per experiment tag, the value as the whole file (no newline).
  <exp_id>/<run_id>/meta.yaml  (run_id: 32 hex) artifact_uri (absolute file:///.../<run_id>/artifacts),
                       start_time, end_time (ms), entry_point_name: '', experiment_id, lifecycle_stage,
                       run_id, run_name, source_name: '', source_type: 4, source_version: '',
                       status as a number (3 FINISHED, 4 FAILED, 5 KILLED; 1 RUNNING), tags: [],
                       user_id; a deleted run adds deleted_time. There is no run_uuid field.
  <exp_id>/<run_id>/params/<key>, tags/<key>  the value as the whole file, no newline. Tags set by
                       MLflow: mlflow.runName, mlflow.user, mlflow.source.name, mlflow.source.type,
                       mlflow.parentRunId (nested runs: the parent's run_id), and
                       mlflow.source.git.commit/branch when the source file is in a git work tree.
  <exp_id>/<run_id>/metrics/<key>  one line per point, in log order: `timestamp_ms value step\n`,
                       value as Python's repr of the float. The "latest" value MLflow reports is the
                       point with the largest step (then timestamp), not the last line.
  A `/` in a param, tag or metric key nests folders: metrics/eval/acc is file `acc` in folder `eval`.
  <exp_id>/<run_id>/artifacts/...  plain files at their logged paths; the folder exists, empty, in
                       every run.
  A deleted run stays where it is, lifecycle_stage: deleted plus deleted_time in its meta.yaml. A
  deleted experiment's whole folder (its runs too) moves to mlruns/.trash/<exp_id>/, lifecycle_stage:
  deleted, while artifact_location/artifact_uri still name the old, untrashed path. mlruns/.trash/
  exists, empty, from the start. All URIs are absolute: a moved tree's meta.yaml files name its old place.

Hydra, OUT_DIR/hydra/ (app `app.py` + conf/config.yaml, version_base="1.3", so no chdir):
  outputs/YYYY-MM-DD/HH-MM-SS/   a single run (local time of the launch):
      .hydra/config.yaml     the job's composed config, interpolations kept unresolved (${model.name})
      .hydra/overrides.yaml  YAML list of the command-line overrides, e.g. `- optim.lr=0.01`
      .hydra/hydra.yaml      Hydra's own config: hydra.run.dir, hydra.job.name (app),
                             hydra.runtime.output_dir (absolute), hydra.job.num (??? in a single run)
      app.log                the job's Python logging, named <job name>.log (the app file's stem), lines
                             `[YYYY-MM-DD HH:MM:SS,mmm][logger][LEVEL] - message`
  multirun/YYYY-MM-DD/HH-MM-SS/  a --multirun sweep:
      multirun.yaml          the sweep's Hydra config (its hydra.overrides.task holds the sweep)
      0/, 1/, ...            one folder per job (hydra.job.num, in sweep order), each laid out like a
                             single run (.hydra/{config,overrides,hydra}.yaml, app.log).

TensorBoard, OUT_DIR/tensorboard/runs/:
  <Mon>DD_HH-MM-SS_<hostname>/   tensorboardX SummaryWriter()'s default logdir (local time, e.g.
      Dec05_12-47-38_vm), with events.out.tfevents.<unix secs>.<hostname>: TFRecords of Event protos,
      first a file_version "brain.Event:2" event, scalars as Summary.Value.simple_value (float32).
      add_scalars("eval", {"acc": v}) writes another writer's folder <logdir>/eval/acc/ with its own
      event file and tag "eval"; add_text("note", ...) is a tensor, tag "note/text_summary", plugin text.
  tb-writer/   written by the tensorboard package's own `tensorboard.summary.Writer` (no TF, no torch;
      add_scalar only, marked EXPERIMENTAL): events.out.tfevents.<10-digit secs>.<host>.<pid>.<n>, its
      first event names the writer in source_metadata; scalars are float32 tensors (plugin "scalars",
      DATA_CLASS_SCALAR), so EventAccumulator lists them under Tensors, not Scalars.

Sacred, OUT_DIR/sacred/runs/ (FileStorageObserver("runs")):
  <id>/  id = 1, 2, 3 ... (one more than the largest folder number there)
      config.json   the run's config with its "seed", JSON
      run.json      experiment{name, base_dir, sources, dependencies, mainfile, repositories},
                    host{hostname, os, python_version, cpu, ENV}, meta{command, options, config_updates,
                    named_configs}, command (the function's name, "main"), status (RUNNING, COMPLETED,
                    FAILED, INTERRUPTED...), start_time, heartbeat, stop_time (UTC, ISO, no zone),
                    result, artifacts (file names), resources, fail_trace (list of traceback lines,
                    failed runs only)
      metrics.json  {name: {"steps": [...], "values": [...], "timestamps": [UTC ISO, no zone]}}
      cout.txt      captured stdout/stderr (Sacred's own INFO lines too)
      info.json     the run's info dict, only when the run set one
      weights.txt   an artifact (add_artifact): a plain file next to these
  _sources/exp_<md5>.py  the experiment's source files, referenced from run.json's experiment.sources.
"""
import json, os, subprocess, sys, tempfile
from pathlib import Path

TOOLS = ["mlflow", "hydra", "tensorboard", "sacred"]
T0 = 1_700_000_000_000  # fixed base for MLflow metric timestamps (ms)


# ---------------------------------------------------------------- MLflow
def write_mlflow():
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    import mlflow
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param, RunTag

    mlflow.set_tracking_uri("file:./mlruns")
    client = MlflowClient()
    Path("art/plots").mkdir(parents=True, exist_ok=True)
    Path("art/notes.txt").write_text("hello from mlflow\n")
    Path("art/plots/loss.csv").write_text("step,loss\n0,1.0\n1,0.5\n")

    exp = mlflow.set_experiment("vision/resnet")
    client.set_experiment_tag(exp.experiment_id, "team", "cairn")
    with mlflow.start_run(run_name="sweep") as parent:
        mlflow.log_params({"optimizer/name": "sgd", "epochs": 3})
        mlflow.set_tags({"stage": "dev", "data/version": "v2"})
        for i, lr in enumerate([0.1, 0.01]):
            with mlflow.start_run(run_name=f"lr-{lr}", nested=True) as child:
                rid = child.info.run_id
                mlflow.log_param("lr", lr)
                for step in range(3):
                    ts = T0 + 1000 * (10 * i + step)
                    client.log_batch(rid, metrics=[Metric("loss", 1.0 / (step + 1) + lr, ts, step),
                                                   Metric("eval/acc", 0.5 + 0.1 * step, ts, step)])
                client.log_metric(rid, "loss", 0.25, timestamp=T0 + 9000, step=1)  # two points at step 1
                mlflow.log_artifacts("art")
                mlflow.log_artifact("art/notes.txt", artifact_path="extra")
        client.log_metric(parent.info.run_id, "best_loss", 0.26, timestamp=T0, step=0)
    with mlflow.start_run(run_name="crashed"):
        mlflow.log_param("lr", 1.0)
        mlflow.log_metric("loss", 9.5, step=0, timestamp=T0)
        mlflow.end_run(status="FAILED")
    with mlflow.start_run(run_name="discarded") as run:
        mlflow.log_metric("loss", 3.0, step=0, timestamp=T0)
    client.delete_run(run.info.run_id)
    with mlflow.start_run(run_name="in-default", experiment_id="0"):
        mlflow.log_metric("x", 1.0, step=0, timestamp=T0)
    old = client.create_experiment("old/abandoned")
    r = client.create_run(old, run_name="forgotten", tags={"why": "deleted later"})
    client.log_param(r.info.run_id, "x", "1")
    client.log_metric(r.info.run_id, "m", 1.0, timestamp=T0, step=0)
    client.set_terminated(r.info.run_id, "KILLED")
    client.delete_experiment(old)
    # Scratch files must not stay in the tree's folder.
    for p in ["art/plots/loss.csv", "art/notes.txt"]:
        os.remove(p)
    os.rmdir("art/plots"), os.rmdir("art")


def read_mlflow(root):
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    from mlflow import MlflowClient
    from mlflow.entities import ViewType

    client = MlflowClient(tracking_uri=(root / "mlruns").resolve().as_uri())
    exps = client.search_experiments(view_type=ViewType.ALL)
    out = {"experiments": [{"id": e.experiment_id, "name": e.name, "lifecycle_stage": e.lifecycle_stage,
                            "artifact_location": e.artifact_location, "tags": e.tags} for e in exps],
           "runs": []}

    def artifacts(run_id, path=None):
        for f in client.list_artifacts(run_id, path):
            if f.is_dir:
                yield from artifacts(run_id, f.path)
            else:
                yield {"path": f.path, "size": f.file_size}

    runs = client.search_runs([e.experiment_id for e in exps], run_view_type=ViewType.ALL,
                              order_by=["attributes.start_time ASC"])
    for r in runs:
        i, d = r.info, r.data
        out["runs"].append({
            "run_id": i.run_id, "run_name": i.run_name, "experiment_id": i.experiment_id,
            "status": i.status, "start_time": i.start_time, "end_time": i.end_time,
            "lifecycle_stage": i.lifecycle_stage, "user_id": i.user_id, "artifact_uri": i.artifact_uri,
            "params": d.params, "tags": d.tags, "metrics": d.metrics,
            "metric_history": {k: [{"step": m.step, "value": m.value, "timestamp": m.timestamp}
                                   for m in client.get_metric_history(i.run_id, k)] for k in sorted(d.metrics)},
            "artifacts": sorted(artifacts(i.run_id), key=lambda a: a["path"]),
        })
    return out


# ---------------------------------------------------------------- Hydra
HYDRA_CONFIG = """\
defaults:
  - _self_
model:
  name: mlp
  hidden: 32
optim:
  lr: 0.1
  momentum: 0.9
seed: 0
tag: ${model.name}-h${model.hidden}
"""

HYDRA_APP = """\
import json, logging
import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import OmegaConf

log = logging.getLogger(__name__)

@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg):
    hc = HydraConfig.get()
    log.info("training %s with lr=%s", cfg.tag, cfg.optim.lr)
    print("HYDRA_JOB " + json.dumps({
        "config": OmegaConf.to_container(cfg, resolve=True),
        "overrides": list(hc.overrides.task), "output_dir": hc.runtime.output_dir,
        "job_name": hc.job.name, "job_num": hc.job.get("num")}, sort_keys=True))

if __name__ == "__main__":
    main()
"""


def run_hydra(out):
    jobs = []
    with tempfile.TemporaryDirectory() as app_dir:
        (Path(app_dir) / "conf").mkdir()
        (Path(app_dir) / "conf/config.yaml").write_text(HYDRA_CONFIG)
        (Path(app_dir) / "app.py").write_text(HYDRA_APP)
        for mode, args in [("run", ["optim.lr=0.01", "+note=single"]),
                           ("multirun", ["--multirun", "optim.lr=0.1,0.01", "model.hidden=16,64"])]:
            p = subprocess.run([sys.executable, str(Path(app_dir) / "app.py"), *args], cwd=out,
                               check=True, capture_output=True, text=True)
            for line in p.stdout.splitlines():
                if line.startswith("HYDRA_JOB "):
                    job = json.loads(line[len("HYDRA_JOB "):])
                    job["mode"] = mode
                    job["output_dir"] = os.path.relpath(job["output_dir"], out)
                    jobs.append(job)
    return {"jobs": jobs}


# ---------------------------------------------------------------- TensorBoard
def write_tensorboard():
    from tensorboardX import SummaryWriter
    import tensorboard.summary

    w = SummaryWriter()  # default logdir runs/<Mon>DD_HH-MM-SS_<host>
    for step in range(4):
        w.add_scalar("train/loss", 1.0 / (step + 1), step, walltime=1_700_000_000 + step)
        w.add_scalars("eval", {"acc": 0.5 + 0.1 * step}, step, walltime=1_700_000_000 + step)
    w.add_text("note", "tensorboardX run", 0)
    w.close()
    w = tensorboard.summary.Writer("runs/tb-writer")
    for step in range(3):
        w.add_scalar("loss", 2.0 - 0.5 * step, step, wall_time=1_700_000_100 + step)
    w.close()


def read_tensorboard(root):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from tensorboard.util import tensor_util

    def value(proto):  # scalars as floats; tensorboardX's add_text as strings
        a = tensor_util.make_ndarray(proto)
        return a.item().decode() if a.dtype == object else float(a.item()) if a.ndim == 0 else a.tolist()

    out = {}
    for d in sorted(p for p in (root / "runs").rglob("*") if p.is_dir() or p.name.startswith("events.")):
        if not d.is_dir() or not any(f.name.startswith("events.") for f in d.iterdir()):
            continue
        acc = EventAccumulator(str(d), size_guidance={"scalars": 0, "tensors": 0})
        acc.Reload()
        tags = acc.Tags()
        out[str(d.relative_to(root))] = {
            "files": sorted(f.name for f in d.iterdir()),
            "scalars": {t: [[e.step, e.value, e.wall_time] for e in acc.Scalars(t)] for t in tags["scalars"]},
            "tensors": {t: {"plugin": acc.SummaryMetadata(t).plugin_data.plugin_name,
                            "points": [[e.step, value(e.tensor_proto), e.wall_time] for e in acc.Tensors(t)]}
                        for t in tags["tensors"]},
        }
    return out


# ---------------------------------------------------------------- Sacred
SACRED_EXP = """\
from sacred import Experiment
from sacred.observers import FileStorageObserver

ex = Experiment("toy_sacred")
ex.observers.append(FileStorageObserver("runs"))

@ex.config
def cfg():
    lr = 0.1
    epochs = 3
    optimizer = {"name": "sgd", "momentum": 0.9}
    fail = False
    seed = 7  # fixed, else Sacred draws one

@ex.automain
def main(_run, lr, epochs, fail):
    for step in range(epochs):
        _run.log_scalar("train.loss", round(1.0 / (step + 1) + lr, 6), step)
        _run.log_scalar("eval.acc", round(0.5 + 0.1 * step, 6))  # steps counted by Sacred
        print("epoch", step)
    _run.info["best_epoch"] = epochs - 1
    if fail:
        raise RuntimeError("diverged")
    with open("weights.txt", "w") as f:
        f.write("w=1\\n")
    _run.add_artifact("weights.txt")
    return 1.0 / epochs
"""


def run_sacred(out):
    with tempfile.TemporaryDirectory() as app_dir:
        (Path(app_dir) / "exp.py").write_text(SACRED_EXP)
        for args, ok in [([], True), (["with", "lr=0.01", "epochs=2"], True), (["with", "fail=True"], False)]:
            p = subprocess.run([sys.executable, str(Path(app_dir) / "exp.py"), *args], cwd=out,
                               capture_output=True, text=True)
            assert (p.returncode == 0) == ok, p.stderr
    if (out / "weights.txt").exists():
        os.remove(out / "weights.txt")
    runs = {}
    for d in sorted((out / "runs").iterdir(), key=lambda p: p.name):
        if not d.name.isdigit():
            continue
        run = json.loads((d / "run.json").read_text())
        runs[d.name] = {
            "experiment": run["experiment"]["name"], "status": run["status"],
            "start_time": run["start_time"], "stop_time": run.get("stop_time"),
            "host": run["host"]["hostname"], "command": run["command"], "result": run.get("result"),
            "artifacts": run["artifacts"], "fail_trace_last": (run.get("fail_trace") or [None])[-1],
            "config": json.loads((d / "config.json").read_text()),
            "metrics": json.loads((d / "metrics.json").read_text()),
            "info": json.loads((d / "info.json").read_text()) if (d / "info.json").exists() else None,
        }
    return {"runs": runs}


# ---------------------------------------------------------------- main
def main():
    if sys.argv[1] == "--write":  # child process, cwd = OUT_DIR/<tool>
        {"mlflow": write_mlflow, "tensorboard": write_tensorboard}[sys.argv[2]]()
        return
    out = Path(sys.argv[1]).resolve()
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else TOOLS
    assert set(only) <= set(TOOLS), f"--only takes {','.join(TOOLS)}"
    ref_file = out / "reference.json"  # kept and added to when OUT_DIR already has other trees
    ref = json.loads(ref_file.read_text()) if ref_file.exists() else {}
    for tool in only:
        cwd = out / tool
        cwd.mkdir(parents=True, exist_ok=False)
        if tool in ("mlflow", "tensorboard"):
            subprocess.run([sys.executable, os.path.abspath(__file__), "--write", tool], cwd=cwd, check=True)
        ref[tool] = {"mlflow": read_mlflow, "tensorboard": read_tensorboard,
                     "hydra": run_hydra, "sacred": run_sacred}[tool](cwd)
    ref_file.write_text(json.dumps(ref, indent=1, sort_keys=True) + "\n")
    print(f"wrote {', '.join(only)} trees and reference.json under {out}")


if __name__ == "__main__":
    main()
