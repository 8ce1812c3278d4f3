#!/usr/bin/env python3
"""Benchmark: `cairn adopt --layout mlflow` of an MLflow file store (mlruns/) beside `mlflow migrate-filestore`,
and search through `cairn serve` on the adopted store beside `mlflow server` on the file store, in the same run.

Run from the package root:  python3 benchmarks/adopt_mlflow.py [--runs N] [--cairn PATH] [--repeat K] [--keep-cache]
  --runs N       runs in the generated store (default 1,000)
  --cairn PATH   the cairn binary (default .build/release/cairn; this script does not build it: without a
                 binary there, the Cairn column is skipped and says so)
  --repeat K     repeats of phase A, each on fresh copies (default 3): the figures are medians
  --keep-cache   do not drop the page cache before each timed command of phase A
  --phases A,B   a subset of the two phases (default both; B alone adopts its copy untimed)
The MLflow side (the generator, `mlflow migrate-filestore`, `mlflow server`, the MlflowClient) runs from
benchmarks/.venv-bench (mlflow==3.17.2, see requirements-bench.txt):
    python3 -m venv benchmarks/.venv-bench && benchmarks/.venv-bench/bin/pip install -r benchmarks/requirements-bench.txt
This script itself needs only Python's standard library; it runs the rest as subprocesses.

The store (untimed, made once and kept in bench-out/adopt_mlflow-store-RUNS/ for later runs; delete the
folder to make it again): an MLflow file store written by the real client, MlflowClient(tracking_uri=
"file:…/mlruns") with MLFLOW_ALLOW_FILE_STORE=true (MLflow 3 refuses file stores otherwise). Experiments
`team/vision`, `team/audio`, `baselines`, `sweeps` (besides MLflow's `Default`, which stays empty); run i
(named run-i) goes to experiment (i // 10) mod 4 and gets, with one log_batch call, params p0..p19 (p0 =
v{i mod 4}), tags t0..t9, metrics m0..m4 at steps 0..99 (fixed values and timestamps), then ends FINISHED.
The values are those of benchmarks/mlflow_server.py, so every expected answer is computed here.

Phase A, adoption, REPEAT times; each side on its own fresh copy of the store (the copy is untimed, then
`sync` and, as root, `echo 3 > /proc/sys/vm/drop_caches` before each timed command: cold page cache):
  MLflow  `mlflow migrate-filestore --source COPY --target sqlite:///…/mlflow.db`, the whole process as a
          user runs it (progress messages on); checked afterwards: the database's counts of experiments,
          runs, params and metrics rows;
  Cairn   `cairn adopt COPY/mlruns --layout mlflow` (in place; the store's records go beside it, in COPY),
          then `cairn run ls --store COPY
          --filter "metrics.m0 < 0.5" --json` (the first command after adoption; its filter reads every run's
          metrics): the sum of the two processes' wall times; checked: both exit 0, and the JSON array lists
          exactly the runs whose last m0 is below 0.5 (their count; whether their `id`s are MLflow's run
          ids is reported as "ids kept");
  also    the same Cairn commands with `--layout auto` (reported, no target; the layout it chose is read from
          cairn.yaml).
Phase B, search, each server on a copy of the store (the MLflow servers on a plain copy of the file store,
untouched by Cairn; Cairn on the adopted copy kept from phase A's last repeat):
  mlflow   `mlflow server --host 127.0.0.1 --port P --backend-store-uri file:…/mlruns
           --artifacts-destination …` with MLFLOW_ALLOW_FILE_STORE=true, its defaults (4 workers, job runner);
  mlflow1  the same with `--workers 1` and MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false;
  cairn    `cairn serve --host 127.0.0.1 --port P --store COPY`.
  For each, once /health answers 200 "OK": one client process (the venv's python running this file) makes
  MlflowClient().search_runs(experiment_ids=[the four experiments' MLflow ids], filter_string="metrics.m0 <
  0.5 and params.p0 = 'v3'", order_by=["metrics.m1 DESC"], max_results=100) once untimed (its run ids, in
  order, are checked against the expected ones and compared between the servers; each run's params and
  m0/m1 are checked too), then 20 timed calls: the median in ms. Telemetry is off (MLFLOW_DISABLE_TELEMETRY,
  DO_NOT_TRACK) and the client does not retry (MLFLOW_HTTP_REQUEST_MAX_RETRIES=0).
Printed: a Markdown table, MLflow's figure, Cairn's, and MLflow's time over Cairn's (the speed-up; the issue
asks ≥ 10× for both measures, and a ✓ needs the checks to pass too); search compares Cairn with the faster
of the two MLflow modes. Then the checks that failed, if any. Everything also goes to
bench-out/adopt_mlflow-<UTC timestamp>.json. Servers are stopped and the temporary folder
(/tmp/cairn-bench-adopt-mlflow-*) removed on any exit, Ctrl-C and SIGTERM included.
"""
import argparse, http.client, json, os, re, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time
from procfs import last_line
from mlflow_server import QUIET_ENV, VENV_MLFLOW, VENV_PY, free_port, run_params, value
from server_process import LIVE, ServerProcess as Server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THIS = os.path.abspath(__file__)
DEFAULT_CAIRN = os.path.join(ROOT, ".build", "release", "cairn")

EXPERIMENTS = ["team/vision", "team/audio", "baselines", "sweeps"]
PARAMS, TAGS, KEYS, STEPS = 20, 10, 5, 100
BASE_MS = 1_780_000_000_000          # run i starts at BASE_MS + i s; its metric at step s is stamped start + s ms
LS_FILTER = "metrics.m0 < 0.5"
FILTER = "metrics.m0 < 0.5 and params.p0 = 'v3'"
ORDER = ["metrics.m1 DESC"]
SEARCH_MAX, SEARCH_CALLS = 100, 20
TARGET = 10
COMMAND_TIMEOUT = 3600               # seconds for one timed command
FILE_STORE_ENV = {"MLFLOW_ALLOW_FILE_STORE": "true"}
LABELS = {"mlflow": "mlflow server, defaults", "mlflow1": "mlflow server --workers 1, no jobs", "cairn": "cairn serve"}


def run_tags(i):
    return {f"t{k}": f"tag{(i + k) % 7}" for k in range(TAGS)}


def experiment_of(i):
    return (i // 10) % len(EXPERIMENTS)


def expected_ls(runs):
    """The run indices `run ls --filter "metrics.m0 < 0.5"` must list (any order)."""
    return [i for i in range(runs) if value(i, 0, STEPS - 1) < 0.5]


def expected_search(runs):
    """The run indices the search must return, in order: p0 = 'v3', last m0 < 0.5, by last m1 descending."""
    hits = [i for i in range(runs) if run_params(i, PARAMS)["p0"] == "v3" and value(i, 0, STEPS - 1) < 0.5]
    return sorted(hits, key=lambda i: -value(i, 1, STEPS - 1))[:SEARCH_MAX]


def one_line(e):
    line = re.sub(r"https?://127\.0\.0\.1:\d+", "", (str(e).strip().splitlines() or [""])[0])
    return (line if type(e) is RuntimeError else f"{type(e).__name__}: {line}")[:300]


# ---------------------------------------------------------------------------------------------------
# In the venv's python: the generator (`--generate CONFIG`) and the search client (`--search CONFIG`).

def generate(config_path):
    cfg = json.load(open(config_path))
    import mlflow
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param, RunTag
    client = MlflowClient(tracking_uri="file:" + cfg["mlruns"])
    start = time.perf_counter()
    exp_ids = [client.create_experiment(name) for name in EXPERIMENTS]
    run_ids = []
    for i in range(cfg["runs"]):
        t0 = BASE_MS + i * 1000
        run_id = client.create_run(exp_ids[experiment_of(i)], start_time=t0, run_name=f"run-{i}").info.run_id
        client.log_batch(run_id,
                         metrics=[Metric(f"m{k}", value(i, k, s), t0 + s, s) for k in range(KEYS) for s in range(STEPS)],
                         params=[Param(k, v) for k, v in run_params(i, PARAMS).items()],
                         tags=[RunTag(k, v) for k, v in run_tags(i).items()])
        client.set_terminated(run_id, "FINISHED", end_time=t0 + 999)
        run_ids.append(run_id)
        if (i + 1) % 100 == 0:
            print(f"  {i + 1} runs, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    manifest = {"runs": cfg["runs"], "experiments": dict(zip(EXPERIMENTS, exp_ids)), "run_ids": run_ids,
                "seconds": time.perf_counter() - start, "mlflow": mlflow.__version__,
                "made_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
    with open(cfg["manifest"], "w") as f:
        json.dump(manifest, f, indent=1)


def search_client(config_path):
    cfg = json.load(open(config_path))
    from mlflow import MlflowClient
    client = MlflowClient(tracking_uri=cfg["url"])
    query = dict(experiment_ids=cfg["experiment_ids"], filter_string=FILTER, order_by=ORDER, max_results=SEARCH_MAX)
    index = {run_id: i for i, run_id in enumerate(cfg["run_ids"])}
    perf = time.perf_counter
    out = {}
    try:
        start = perf()
        found = client.search_runs(**query)
        out["first_ms"] = (perf() - start) * 1000
        out["ids"] = [r.info.run_id for r in found]
        problems = []
        for r in found:
            i = index.get(r.info.run_id)
            if i is None:
                problems.append(f"run {r.info.run_id} ({r.info.run_name}) is not one of the store's")
                continue
            params = {k: v for k, v in r.data.params.items()}
            if params != run_params(i, PARAMS):
                problems.append(f"run-{i}: {len(params)} params, not the {PARAMS} logged")
            for k in (0, 1):
                got = r.data.metrics.get(f"m{k}")
                if got is None or abs(got - value(i, k, STEPS - 1)) > 1e-9:
                    problems.append(f"run-{i}: m{k} = {got}, expected {value(i, k, STEPS - 1)}")
        out["data_check"] = "ok" if not problems else f"{len(problems)} problems, first: {problems[0]}"
        times = []
        for _ in range(cfg["calls"]):
            start = perf()
            client.search_runs(**query)
            times.append(perf() - start)
        out["median_ms"] = statistics.median(times) * 1000
        out["all_ms"] = [t * 1000 for t in times]
    except Exception as e:
        out["error"] = one_line(e)
        try:   # what the server knows, to tell a missing experiment from a failed search
            out["experiments_seen"] = {e.experiment_id: e.name for e in client.search_experiments()}
        except Exception as e2:
            out["experiments_seen"] = one_line(e2)
    with open(cfg["out"], "w") as f:
        json.dump(out, f, indent=1)


# ---------------------------------------------------------------------------------------------------
# The driver's helpers.

def store_cache(runs):
    """The generated store for RUNS runs: (its mlruns folder, its manifest); made first when missing."""
    folder = os.path.join(ROOT, "bench-out", f"adopt_mlflow-store-{runs}")
    manifest_path = os.path.join(folder, "manifest.json")
    if os.path.exists(manifest_path):
        manifest = json.load(open(manifest_path))
        if manifest.get("runs") == runs and len(manifest.get("run_ids", [])) == runs:
            print(f"Store: {os.path.relpath(folder, ROOT)} (made {manifest['made_utc']} UTC in {manifest['seconds']:.0f} s; "
                  "delete it to make it again)", file=sys.stderr)
            return os.path.join(folder, "mlruns"), manifest
    if os.path.exists(folder):   # an interrupted generation
        shutil.rmtree(folder)
    # Written in place (the runs' meta.yaml name their artifact folders by absolute path); complete once
    # the generator has written manifest.json, its last file.
    os.makedirs(folder)
    try:
        config = os.path.join(folder, "generate.json")
        with open(config, "w") as f:
            json.dump({"mlruns": os.path.join(folder, "mlruns"), "runs": runs, "manifest": manifest_path + ".tmp"}, f)
        print(f"Store: writing {runs} runs with MlflowClient into a file store (once; kept in "
              f"{os.path.relpath(folder, ROOT)})…", file=sys.stderr)
        proc = subprocess.Popen([VENV_PY, THIS, "--generate", config], cwd=folder, stdin=subprocess.DEVNULL,
                                env={**os.environ, **QUIET_ENV, **FILE_STORE_ENV}, start_new_session=True)
        try:
            proc.wait()
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc.returncode != 0:
            sys.exit(f"the generator exited ({proc.returncode}); nothing kept")
        os.remove(config)
        os.sync()
        os.rename(manifest_path + ".tmp", manifest_path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    manifest = json.load(open(manifest_path))
    print(f"Store: {runs} runs written in {manifest['seconds']:.1f} s", file=sys.stderr)
    return os.path.join(folder, "mlruns"), manifest


def fresh_copy(mlruns, base):
    """A copy of the store as BASE/mlruns (untimed), synced to disk; returns its path."""
    dst = os.path.join(base, "mlruns")
    shutil.copytree(mlruns, dst, symlinks=True)
    os.sync()
    return dst


DROP = {"asked": True, "done": 0, "failed": None}


def drop_caches():
    """Writes back dirty pages and drops the page cache (as root): True when it did."""
    os.sync()
    if not DROP["asked"]: return False
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        DROP["done"] += 1
        return True
    except OSError as e:
        if DROP["failed"] is None:
            print(f"  could not drop the page cache ({e.strerror}); going on with it warm", file=sys.stderr)
        DROP["failed"] = f"{e.strerror} ({e.filename})"
        return False


def timed(cmd, log, env=None, cwd=None):
    """Runs cmd in its own process group, stdout to LOG.out and stderr to LOG.err: (seconds, exit code).
    Killed on a timeout (an error) or an interruption."""
    with open(log + ".out", "wb") as out, open(log + ".err", "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=env or os.environ, start_new_session=True)
        try:
            proc.wait(COMMAND_TIMEOUT)
        except BaseException as e:   # a timeout, or an interruption
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            if isinstance(e, subprocess.TimeoutExpired):
                raise RuntimeError(f"{os.path.basename(cmd[0])} {cmd[1]}: no exit after {COMMAND_TIMEOUT} s") from None
            raise
        took = time.perf_counter() - start
    return took, proc.returncode


def why(log):
    """The last line of a failed command's stderr, else of its stdout."""
    line = last_line(log + ".err", empty="")
    return line if line else last_line(log + ".out")


def cairn_env():
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_STORE", "CAIRN_TOKEN")}
    return env


# ---------------------------------------------------------------------------------------------------
# Phase A.

def migrate_once(mlruns, work, repeat, manifest):
    base = os.path.join(work, f"migrate-{repeat}")
    fresh_copy(mlruns, base)
    db = os.path.join(base, "mlflow.db")
    log = os.path.join(work, f"migrate-{repeat}")
    dropped = drop_caches()
    seconds, code = timed([VENV_MLFLOW, "migrate-filestore", "--source", base, "--target", "sqlite:///" + db], log,
                          env={**os.environ, **QUIET_ENV, **FILE_STORE_ENV}, cwd=work)
    if code != 0:
        raise RuntimeError(f"mlflow migrate-filestore exited {code}: {why(log)}")
    con = sqlite3.connect(db)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("experiments", "runs", "params", "tags", "metrics", "latest_metrics")}
    finally:
        con.close()
    runs = manifest["runs"]
    want = {"experiments": len(EXPERIMENTS) + 1, "runs": runs, "params": runs * PARAMS, "metrics": runs * KEYS * STEPS,
            "latest_metrics": runs * KEYS}
    wrong = [f"{t} {counts[t]:,} (expected {n:,})" for t, n in want.items() if counts[t] != n]
    if counts["tags"] < runs * TAGS: wrong.append(f"tags {counts['tags']:,} (expected at least {runs * TAGS:,})")
    shutil.rmtree(base)
    return {"seconds": seconds, "dropped": dropped, "counts": counts, "check": "ok" if not wrong else "; ".join(wrong)}


def store_layout(tree):
    try:
        with open(os.path.join(tree, "cairn.yaml")) as f:
            for line in f:
                if line.startswith("layout:"):
                    return line.split(":", 1)[1].strip().strip("\"'")
    except OSError:
        pass
    return None


def adopt_once(cairn, layout, mlruns, work, repeat, manifest, keep):
    """Adopts a fresh copy with --layout LAYOUT, then the first `run ls --filter`; the copy's path if keep."""
    base = os.path.join(work, f"cairn-{layout}-{repeat}")
    tree = fresh_copy(mlruns, base)
    log = os.path.join(work, f"cairn-{layout}-{repeat}")
    env = cairn_env()
    dropped = drop_caches()
    adopt_s, code = timed([cairn, "adopt", tree, "--layout", layout], log + "-adopt", env=env, cwd=work)
    if code != 0:
        raise RuntimeError(f"cairn adopt --layout {layout} exited {code}: {why(log + '-adopt')}")
    store = os.path.dirname(tree)   # Cairn puts an MLflow file store's records beside mlruns/, not in it
    ls_s, code = timed([cairn, "run", "ls", "--store", store, "--filter", LS_FILTER, "--json"], log + "-ls", env=env, cwd=work)
    if code != 0:
        raise RuntimeError(f"cairn run ls --filter exited {code}: {why(log + '-ls')}")
    result = {"seconds": adopt_s + ls_s, "adopt_s": adopt_s, "ls_s": ls_s, "dropped": dropped,
              "layout": store_layout(store)}
    try:
        listed = json.load(open(log + "-ls.out"))
        ids = [r["id"] for r in listed]
    except (ValueError, TypeError, KeyError) as e:
        result["check"] = f"run ls --json: not a JSON array of runs with ids ({one_line(e)})"
        ids = None
    if ids is not None:
        expected = {manifest["run_ids"][i] for i in expected_ls(manifest["runs"])}
        result["listed"] = len(ids)
        result["ids_kept"] = set(ids) == expected
        if len(ids) != len(expected) or len(set(ids)) != len(ids):
            result["check"] = f"run ls listed {len(ids)} runs ({len(set(ids))} distinct ids), expected {len(expected)}"
        else:
            result["check"] = "ok"
    if layout != "auto" and result["layout"] not in (None, layout):
        result["check"] = f"cairn.yaml says layout {result['layout']}, not {layout}; " + result["check"]
    if keep:
        result["tree"] = store
    else:
        shutil.rmtree(base)
    return result


def phase_a(cairn, mlruns, work, manifest, repeats):
    out = {"migrate": [], "cairn": [], "auto": []}
    errors = {}
    have_cairn = os.path.exists(cairn)
    for r in range(repeats):
        print(f"Phase A, repeat {r + 1} of {repeats}", file=sys.stderr)
        if "migrate" not in errors:
            try:
                got = migrate_once(mlruns, work, r, manifest)
                out["migrate"].append(got)
                print(f"  mlflow migrate-filestore: {got['seconds']:.2f} s ({got['check']})", file=sys.stderr)
            except Exception as e:
                errors["migrate"] = one_line(e)
                print(f"  mlflow migrate-filestore failed: {errors['migrate']}", file=sys.stderr)
        if not have_cairn: continue
        for key, layout in (("cairn", "mlflow"), ("auto", "auto")):
            if key in errors or (key == "auto" and "cairn" in errors): continue
            try:
                got = adopt_once(cairn, layout, mlruns, work, r, manifest, keep=(key == "cairn" and r == repeats - 1))
                out[key].append(got)
                print(f"  cairn adopt --layout {layout} + run ls: {got['adopt_s']:.3f} + {got['ls_s']:.3f} s "
                      f"(layout {got['layout']}, {got['check']})", file=sys.stderr)
            except Exception as e:
                errors[key] = one_line(e)
                print(f"  cairn, --layout {layout}: {errors[key]}", file=sys.stderr)
    out["errors"] = errors
    kept = out["cairn"][-1].get("tree") if out["cairn"] and len(out["cairn"]) == repeats else None
    return out, kept


# ---------------------------------------------------------------------------------------------------
# Phase B.

def search_against(kind, cmd_for, env, work, manifest):
    """Starts the server, runs the search client against it, stops it: the client's figures."""
    port = free_port()
    server = Server(kind, cmd_for(port), env, port, os.path.join(work, f"{kind}-server.log"))
    result = {"label": LABELS[kind]}
    try:
        result["cold_start_s"] = server.start()
        print(f"  {kind}: healthy after {result['cold_start_s']:.2f} s", file=sys.stderr)
        config = os.path.join(work, f"{kind}-search.json")
        out = os.path.join(work, f"{kind}-search-results.json")
        with open(config, "w") as f:
            json.dump({"url": f"http://127.0.0.1:{port}", "experiment_ids": list(manifest["experiments"].values()),
                       "run_ids": manifest["run_ids"], "calls": SEARCH_CALLS, "out": out}, f)
        client_env = {**os.environ, **QUIET_ENV, "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "300"}
        client_env.pop("MLFLOW_TRACKING_URI", None)
        log = os.path.join(work, f"{kind}-client")
        _, code = timed([VENV_PY, THIS, "--search", config], log, env=client_env, cwd=work)
        if os.path.exists(out):
            result.update(json.load(open(out)))
        if code != 0 and "error" not in result:
            result["error"] = f"the client exited ({code}): {why(log)}"
    except Exception as e:
        result["error"] = one_line(e)
    finally:
        server.stop()
    if "error" in result:
        print(f"  {kind}: {result['error']}", file=sys.stderr)
    else:
        print(f"  {kind}: search_runs p50 {result['median_ms']:.1f} ms, {len(result['ids'])} runs", file=sys.stderr)
    return result


def phase_b(cairn, mlruns, work, manifest, adopted):
    served = fresh_copy(mlruns, os.path.join(work, "served"))
    artifacts = os.path.join(work, "served", "artifacts")
    results = {}
    for kind, extra, env in (("mlflow", [], {}), ("mlflow1", ["--workers", "1"], {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"})):
        print(f"Phase B: {LABELS[kind]}…", file=sys.stderr)
        cmd = lambda port, extra=extra: [VENV_MLFLOW, "server", "--host", "127.0.0.1", "--port", str(port),
                                         "--backend-store-uri", "file:" + served, "--artifacts-destination", artifacts] + extra
        results[kind] = search_against(kind, cmd, {**os.environ, **QUIET_ENV, **FILE_STORE_ENV, **env}, work, manifest)
    if not os.path.exists(cairn):
        results["cairn"] = {"label": LABELS["cairn"], "skipped": f"no cairn binary at {cairn}"}
    elif adopted is None:
        results["cairn"] = {"label": LABELS["cairn"], "skipped": "no adopted store (the adoption failed)"}
    else:
        print("Phase B: cairn serve…", file=sys.stderr)
        cmd = lambda port: [cairn, "serve", "--host", "127.0.0.1", "--port", str(port), "--store", adopted]
        results["cairn"] = search_against("cairn", cmd, cairn_env(), work, manifest)
    expected = [manifest["run_ids"][i] for i in expected_search(manifest["runs"])]
    for kind, r in results.items():
        if "ids" not in r: continue
        if r["ids"] == expected:
            r["check"] = "ok" if r.get("data_check") == "ok" else r.get("data_check", "?")
        else:
            first = next((n for n, (a, b) in enumerate(zip(r["ids"], expected)) if a != b), min(len(r["ids"]), len(expected)))
            r["check"] = (f"{len(r['ids'])} runs, expected {len(expected)}; first difference at position {first}: "
                          f"{r['ids'][first] if first < len(r['ids']) else '(none)'} instead of "
                          f"{expected[first] if first < len(expected) else '(none)'}")
    ids = {k: r["ids"] for k, r in results.items() if "ids" in r}
    if "cairn" in ids:
        for kind in ("mlflow", "mlflow1"):
            if kind in ids:
                results["cairn"][f"same_as_{kind}"] = ids["cairn"] == ids[kind]
    return results


# ---------------------------------------------------------------------------------------------------
# The report.

def median_of(items, field="seconds"):
    return statistics.median(x[field] for x in items) if items else None


def checks_ok(items):
    return all(x.get("check") == "ok" for x in items)


def table(a, b, repeats):
    """The Markdown table and the verdicts (measure: met)."""
    rows, verdicts = [], {}
    def cell(x, unit, err=None):
        if x is None: return (err or "not measured").replace("|", "\\|")
        return f"{x:.3f} s" if unit == "s" else f"{x:.2f} ms" if x < 100 else f"{x:.0f} ms"
    def ratio(slow, fast, target, ok, key):
        if slow is None or fast is None: return ""
        factor = slow / fast
        if target is None: return f"{factor:.1f}×"
        verdicts[key] = factor >= target and ok
        return f"{factor:.1f}×" + (" ✓" if verdicts[key] else " ✗" if ok else " ✗ (a check failed)")
    if a is not None:
        errs = a["errors"]
        mig = median_of(a["migrate"])
        cai = median_of(a["cairn"]) if len(a["cairn"]) == repeats else None
        auto = median_of(a["auto"]) if len(a["auto"]) == repeats else None
        ok = checks_ok(a["migrate"]) and checks_ok(a["cairn"])
        cerr = errs.get("cairn") or a.get("cairn_skipped")
        rows.append((f"adopt: `cairn adopt --layout mlflow` + first `cairn run ls --filter` against `mlflow migrate-filestore` "
                     f"to SQLite (median of {repeats}, cold cache)", cell(mig, "s", errs.get("migrate")), cell(cai, "s", cerr),
                     ratio(mig, cai, TARGET, ok, "adopt"), f"≥ {TARGET}×"))
        rows.append(("  of which `cairn adopt`", "", cell(median_of(a["cairn"], "adopt_s") if cai else None, "s", cerr and "—"), "", ""))
        rows.append(("  of which the first `cairn run ls --filter`", "", cell(median_of(a["cairn"], "ls_s") if cai else None, "s", cerr and "—"), "", ""))
        aerr = errs.get("auto") or (cerr and "—")
        rows.append(("the same with `--layout auto`", cell(mig, "s", errs.get("migrate")), cell(auto, "s", aerr),
                     ratio(mig, auto, None, True, "auto"), "(none)"))
    if b is not None:
        mlflow = {k: b[k]["median_ms"] for k in ("mlflow", "mlflow1") if "median_ms" in b.get(k, {})}
        best = min(mlflow, key=mlflow.get) if mlflow else None
        c = b.get("cairn", {})
        cerr = c.get("error") or c.get("skipped")
        ok = all(b[k].get("check") == "ok" for k in b if "ids" in b[k]) and c.get("check") == "ok"
        merr = "; ".join(f"{k}: {b[k].get('error', '?')}" for k in ("mlflow", "mlflow1")) if best is None else None
        rows.append((f"search: `search_runs` filter + order, max 100, p50 of {SEARCH_CALLS}"
                     + (f" (MLflow: the faster mode, {LABELS[best]})" if best else ""),
                     cell(mlflow.get(best), "ms", merr), cell(c.get("median_ms"), "ms", cerr),
                     ratio(mlflow.get(best), c.get("median_ms"), TARGET, ok, "search"), f"≥ {TARGET}×"))
        for k in ("mlflow", "mlflow1"):
            if k in b:
                rows.append((f"  {LABELS[k]}", cell(b[k].get("median_ms"), "ms", b[k].get("error")), "",
                             ratio(b[k].get("median_ms"), c.get("median_ms"), None, True, k), ""))
    lines = ["| measure | MLflow 3.17.2 | Cairn | MLflow ÷ Cairn | target |", "| --- | ---: | ---: | ---: | --- |"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    return "\n".join(lines), verdicts


def notes(a, b):
    out = []
    if a is not None:
        for key, label in (("migrate", "migrate-filestore"), ("cairn", "cairn --layout mlflow"), ("auto", "cairn --layout auto")):
            bad = [f"repeat {n + 1}: {x['check']}" for n, x in enumerate(a[key]) if x.get("check") != "ok"]
            if bad: out.append(f"- {label}, checks failed: " + "; ".join(bad))
        for key, x in a["errors"].items():
            out.append(f"- phase A, {key}: {x}")
        if a["cairn"]:
            kept = [x.get("ids_kept") for x in a["cairn"]]
            out.append(f"- cairn run ls lists MLflow's run ids: {'yes' if all(kept) else 'no'}"
                       + ("" if all(kept) else " (the issue asks that they are kept)"))
        if a["auto"]:
            out.append(f"- `--layout auto` chose: {', '.join(sorted({str(x['layout']) for x in a['auto']}))}")
    if b is not None:
        for k, r in b.items():
            if "ids" in r and r.get("check") != "ok":
                out.append(f"- search, {LABELS[k]}: {r['check']}")
            if "error" in r:
                seen = r.get("experiments_seen")
                out.append(f"- search, {LABELS[k]}: {r['error']}" + (f" (experiments it lists: {seen})" if seen else ""))
            for other in ("mlflow", "mlflow1"):
                if r.get(f"same_as_{other}") is False:
                    out.append(f"- search: cairn serve's runs differ from {LABELS[other]}'s (ids or order)")
            if "skipped" in r:
                out.append(f"- search, {LABELS[k]}: skipped, {r['skipped']}")
        cold = ", ".join(f"{LABELS[k]} {r['cold_start_s']:.2f} s" for k, r in b.items() if "cold_start_s" in r)
        if cold: out.append(f"- cold start to /health OK (not a target): {cold}")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs in the generated store (default 1000)")
    parser.add_argument("--cairn", default=DEFAULT_CAIRN, help="the cairn binary (default .build/release/cairn)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of phase A (default 3; medians)")
    parser.add_argument("--keep-cache", action="store_true", help="do not drop the page cache before timed commands")
    parser.add_argument("--phases", default="A,B", help="A (adoption), B (search) or both (default)")
    parser.add_argument("--generate", help=argparse.SUPPRESS)
    parser.add_argument("--search", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate: return generate(args.generate)
    if args.search: return search_client(args.search)

    if not os.path.exists(VENV_PY):
        sys.exit(f"no {VENV_PY}: python3 -m venv benchmarks/.venv-bench && "
                 "benchmarks/.venv-bench/bin/pip install -r benchmarks/requirements-bench.txt")
    phases = {p.strip().upper() for p in args.phases.split(",") if p.strip()}
    if not phases or phases - {"A", "B"}: sys.exit("--phases: A, B or A,B")
    if args.runs < 1 or args.repeat < 1: sys.exit("--runs and --repeat must be at least 1")
    DROP["asked"] = not args.keep_cache
    cairn = os.path.abspath(args.cairn)
    if not os.path.exists(cairn):
        print(f"Cairn: skipped, no cairn binary at {cairn} (build it: swift build -c release --static-swift-stdlib "
              "--product cairn; or pass --cairn PATH)", file=sys.stderr)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    def on_term(signum, _frame): raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    a = b = None
    work = None
    try:
        mlruns, manifest = store_cache(args.runs)
        load = os.getloadavg()
        work = tempfile.mkdtemp(prefix="cairn-bench-adopt-mlflow-")
        adopted = None
        if "A" in phases:
            a, adopted = phase_a(cairn, mlruns, work, manifest, args.repeat)
            if not os.path.exists(cairn): a["cairn_skipped"] = "skipped: no binary"
        if "B" in phases:
            if adopted is None and "A" not in phases and os.path.exists(cairn):
                try:   # phase B alone: adopt a copy, untimed
                    adopted = adopt_once(cairn, "mlflow", mlruns, work, "b", manifest, keep=True)["tree"]
                except Exception as e:
                    print(f"  cairn adopt (untimed, for phase B): {one_line(e)}", file=sys.stderr)
            b = phase_b(cairn, mlruns, work, manifest, adopted)
    except KeyboardInterrupt:
        interrupted = True
    else:
        interrupted = False
    finally:
        for server in list(LIVE): server.stop()
        if work: shutil.rmtree(work, ignore_errors=True)
    if interrupted: sys.exit("interrupted: the servers are stopped, the copies removed, nothing written")

    main_table, verdicts = table(a, b, args.repeat)
    runs = manifest["runs"]
    if not DROP["asked"]: cache = "kept warm (--keep-cache)"
    elif DROP["failed"]: cache = f"not dropped ({DROP['failed']}): warm"
    else: cache = f"dropped before each timed command ({DROP['done']} times)"
    out = [f"MLflow 3.17.2 (benchmarks/.venv-bench), {os.cpu_count()} CPUs, load average before the run {load[0]:.2f}. "
           f"Store: {runs:,} runs × {PARAMS} params, {TAGS} tags, {KEYS} metrics × {STEPS} steps "
           f"({runs * KEYS * STEPS:,} points) in {len(EXPERIMENTS)} experiments, written by MlflowClient to a file store "
           f"in {manifest['seconds']:.0f} s. Page cache: {cache}.",
           f"`run ls --filter \"{LS_FILTER}\"` expects {len(expected_ls(runs))} runs; the search expects "
           f"{len(expected_search(runs))} runs.\n", main_table]
    if verdicts:
        out.append(f"\nTargets met: {sum(verdicts.values())} of {len(verdicts)}"
                   + (f" (not met: {', '.join(k for k, ok in verdicts.items() if not ok)})" if not all(verdicts.values()) else ""))
    extra = notes(a, b)
    if extra: out += ["", *extra]
    print("\n".join(out))
    os.makedirs(os.path.join(ROOT, "bench-out"), exist_ok=True)
    path = os.path.join(ROOT, "bench-out", f"adopt_mlflow-{stamp}.json")
    with open(path, "w") as f:
        json.dump({"date_utc": stamp, "runs": runs, "repeat": args.repeat, "phases": sorted(phases), "cairn": cairn,
                   "cpus": os.cpu_count(), "loadavg_before": load, "page_cache": cache,
                   "store": {"seconds": manifest["seconds"], "made_utc": manifest["made_utc"], "experiments": manifest["experiments"]},
                   "ls_filter": LS_FILTER, "filter": FILTER, "order_by": ORDER, "adopt": a, "search": b,
                   "targets_met": verdicts, "table": "\n".join(out)}, f, indent=1)
    print(f"\nWritten: {os.path.relpath(path, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
