#!/usr/bin/env python3
"""Benchmark: finding runs with the index (issue: an index rebuildable from disk, MLflow's filter syntax).

Run from the package root:  python3 benchmarks/search.py [--runs 10000] [--mlflow-runs 1000]
(builds the release binaries first; the MLflow side needs benchmarks/.venv-bench, see requirements-bench.txt)

1. Fills a store of RUNS runs (20 experiments vae/expN, 20 params, 10 metrics in 2 splits × 100 steps)
   through Cairn's library (cairn-bench populate-search), then times as whole processes of the binary:
   - `cairn reindex` of the whole store;
   - `cairn run ls --filter "metrics.`eval/loss` < 0.5 and params.training.lr > 0.001"
     --order-by "metrics.`eval/loss`" --limit 100`, with one run's metrics CSV appended to between
     queries (hand-edit detection on: the sweep bound is 10 s, so most queries take the cheap path and
     a sweep lands every 10 s of querying; the median and the maximum are both reported);
   - `cairn compare` of 10 runs;
   - `cairn metric log` and `cairn ckpt save` with the index beside them and without one (a write
     notes its run for the index only when one exists): the difference is what keeping it current
     costs the writer; and the query right after a write, which takes that note in.
2. At MLFLOW_RUNS runs, MLflow's own search on the same runs (the same values logged with log_batch
   into its sqlite backend store) beside Cairn's library search, both in-process and warm, on a query
   both can express (MLflow compares params only with = and LIKE):
   "metrics.`eval/loss` < 0.5 and params.`training.optimizer` = 'adam'", ordered by eval/loss, 100 runs.
   Whole-process figures of both are reported beside. The in-process figures are the medians of three
   rounds, MLflow and Cairn alternated.
Results go to stdout as Markdown.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = ["swift", "build", "-c", "release", "--static-swift-stdlib"]
VENV_PY = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "python")
FILTER = "metrics.`eval/loss` < 0.5 and params.training.lr > 0.001"
ORDER = "metrics.`eval/loss`"
MLFLOW_FILTER = "metrics.`eval/loss` < 0.5 and params.`training.optimizer` = 'adam'"

# The same formulas as benchmarks/Sources/cairn-bench/SearchBenchData.swift.
LRS = ["0.0001", "0.0003", "0.001", "0.003", "0.01"]
OPTIMIZERS = ["adam", "sgd", "adamw"]
TRAIN = ["loss", "acc", "lr_now", "grad_norm", "time"]
EVAL = ["loss", "acc", "f1", "auc", "ppl"]

MLFLOW_SIDE = r'''
import json, os, statistics, sys, time
os.environ["MLFLOW_TRACKING_URI"] = "sqlite:///" + sys.argv[1]
import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
mode, runs = sys.argv[2], int(sys.argv[3])
client = MlflowClient()
LRS = ["0.0001", "0.0003", "0.001", "0.003", "0.01"]
OPT = ["adam", "sgd", "adamw"]
TRAIN = ["loss", "acc", "lr_now", "grad_norm", "time"]
EVAL = ["loss", "acc", "f1", "auc", "ppl"]
def value(i, m, s): return ((i * 7919 + m * 104729 + s * 31) % 10007) / 10007
if mode == "fill":
    ids = {}
    for e in range(20):
        ids[e] = client.create_experiment(f"vae/exp{e}")
    for i in range(runs):
        run = client.create_run(ids[i % 20])
        params = {"training.lr": LRS[i % 5], "training.batch": str(16 << (i % 4)), "training.layers": str(i % 8 + 1),
                  "training.optimizer": OPT[i % 3]}
        for j in range(4, 20): params[f"training.p{j}"] = str((i * j) % 97)
        now = int(time.time() * 1000)
        metrics = [Metric(k, value(i, m, s), now, s) for s in range(100) for m, k in enumerate(TRAIN)]
        metrics += [Metric("eval/" + k, value(i, m + 5, s), now, s) for s in range(100) for m, k in enumerate(EVAL)]
        client.log_batch(run.info.run_id, metrics=metrics, params=[Param(k, v) for k, v in params.items()])
        client.set_terminated(run.info.run_id)
    print(json.dumps({"runs": runs}))
else:
    exps = [e.experiment_id for e in client.search_experiments()]
    query = dict(experiment_ids=exps, filter_string=sys.argv[4], order_by=["metrics.`eval/loss` ASC"], max_results=100)
    found = client.search_runs(**query)
    times = []
    for _ in range(int(sys.argv[5])):
        start = time.perf_counter()
        found = client.search_runs(**query)
        times.append(time.perf_counter() - start)
    print(json.dumps({"median": statistics.median(times), "found": [r.info.run_name for r in found][:3], "count": len(found)}))
'''


def build():
    for product in ["cairn", "cairn-bench"]:
        subprocess.run(BUILD + ["--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(BUILD + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def timed(cmd, repeat, between=None):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    times = []
    for i in range(repeat):
        if between: between(i)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main():
    runs, mlflow_runs = arg("--runs", 10_000), arg("--mlflow-runs", 1_000)
    bins = build()
    cairn, bench = os.path.join(bins, "cairn"), os.path.join(bins, "cairn-bench")
    work = tempfile.mkdtemp(prefix="cairn-bench-search-")
    out = []
    try:
        store = os.path.join(work, "store")
        start = time.perf_counter()
        subprocess.run([bench, "populate-search", store, str(runs)], check=True)
        out.append(f"Store of {runs} runs filled in {time.perf_counter() - start:.1f} s.\n")
        subprocess.run(["sync"])
        start = time.perf_counter()
        subprocess.run([cairn, "reindex", "--store", store], check=True, stdout=subprocess.DEVNULL)
        reindex = time.perf_counter() - start
        ls = [cairn, "run", "ls", "--store", store, "--filter", FILTER, "--order-by", ORDER, "--limit", "100", "--json"]
        listed = json.loads(subprocess.run(ls, check=True, capture_output=True, text=True).stdout)
        assert listed, "the query found no run"
        csv = None
        for root, _, files in os.walk(store):
            if root.endswith("/metrics/eval") and "metrics.csv" in files:
                csv = os.path.join(root, "metrics.csv")
                break
        def append(i):
            with open(csv, "a") as f:
                f.write(f"1790000000.{i:03d},{100 + i},,loss,0.{i % 10}\n")
        query_ms, query_max = timed(ls, 60, append)
        ten = [r["id"] for r in json.loads(subprocess.run([cairn, "run", "ls", "--store", store, "--limit", "10", "--json"],
                                                           check=True, capture_output=True, text=True).stdout)]
        compare_ms, _ = timed([cairn, "compare", "--store", store, "--json"] + ten, 30)
        # Writes with and without an index beside them.
        run = json.loads(subprocess.run([cairn, "run", "new", "--store", store, "-e", "bench/writes", "--no-git", "--json"],
                                        check=True, capture_output=True, text=True).stdout)["id"]
        step = [0]
        def log_cmd():
            step[0] += 1
            return [cairn, "metric", "log", "--store", store, run, f"loss={step[0] / 1000}", "--step", str(step[0])]
        index = os.path.join(store, ".cairn", "index.sqlite")
        def timed_writes(make, repeat=40):
            # Alternated, with the index and without it (moved aside: a write only checks that it exists,
            # so its -wal and -shm stay), so that both see the same machine.
            times = ([], [])
            for i in range(2 * repeat):
                without = i % 2 == 1
                if without: os.rename(index, index + ".aside")
                cmd = make()
                start = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[without].append((time.perf_counter() - start) * 1000)
                if without: os.rename(index + ".aside", index)
            return statistics.median(times[0]), statistics.median(times[1])
        blob = os.path.join(work, "w.pt")
        def save_cmd():
            step[0] += 1
            with open(blob, "wb") as f: f.write(os.urandom(4096))
            return [cairn, "ckpt", "save", "--store", store, run, blob, "--move", "--step", str(step[0]),
                    "--metric", f"val_loss={step[0] / 1000}", "--top-k", "3", "--monitor", "val_loss"]
        logs, saves = timed_writes(log_cmd), timed_writes(save_cmd)
        with_index, without = (logs[0], saves[0]), (logs[1], saves[1])
        # The search right after a write takes the write's note in (reads that run again) before it answers.
        after_write = []
        for _ in range(20):
            subprocess.run(log_cmd(), check=True, stdout=subprocess.DEVNULL)
            start = time.perf_counter()
            subprocess.run(ls, check=True, stdout=subprocess.DEVNULL)
            after_write.append((time.perf_counter() - start) * 1000)

        out.append("| measure | Cairn | target |")
        out.append("| --- | ---: | --- |")
        out.append(f"| `cairn reindex`, {runs} runs | {reindex:.2f} s | ≤ 10 s |")
        out.append(f"| `run ls --filter … --order-by … --limit 100` (whole process, CSV appended between queries) | median {query_ms:.1f} ms, max {query_max:.1f} ms | ≤ 30 ms median |")
        out.append(f"| the same `run ls` right after a `metric log` (it takes the write's note in) | median {statistics.median(after_write):.1f} ms | |")
        out.append(f"| `cairn compare` of 10 runs | {compare_ms:.1f} ms | ≤ 30 ms |")
        out.append(f"| `cairn metric log`: with the index / without | {with_index[0]:.2f} / {without[0]:.2f} ms (+{with_index[0] - without[0]:.2f}) | ≤ +2 ms |")
        out.append(f"| `cairn ckpt save --move` (4 KiB, top-3): with / without | {with_index[1]:.2f} / {without[1]:.2f} ms (+{with_index[1] - without[1]:.2f}) | ≤ +2 ms |")

        if os.path.exists(VENV_PY) and mlflow_runs > 0:
            small = os.path.join(work, "small")
            subprocess.run([bench, "populate-search", small, str(mlflow_runs)], check=True)
            subprocess.run([cairn, "reindex", "--store", small], check=True, stdout=subprocess.DEVNULL)
            db = os.path.join(work, "mlflow.db")
            start = time.perf_counter()
            subprocess.run([VENV_PY, "-c", MLFLOW_SIDE, db, "fill", str(mlflow_runs)], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            fill = time.perf_counter() - start
            # Three rounds, MLflow and Cairn alternated, so that both see the same machine; each round is
            # the median of 30 warm searches in a fresh process, and the rounds' medians are reported.
            ml_rounds, cairn_rounds = [], []
            for _ in range(3):
                ml = json.loads(subprocess.run([VENV_PY, "-c", MLFLOW_SIDE, db, "search", str(mlflow_runs), MLFLOW_FILTER, "30"],
                                               check=True, capture_output=True, text=True).stdout)
                ml_rounds.append(ml["median"])
                cairn_rounds.append(float(subprocess.run([bench, "search", small, MLFLOW_FILTER.replace("`training.optimizer`", "training.optimizer"),
                                                          ORDER, "100", "30"], check=True, capture_output=True, text=True).stdout))
            ml["median"] = statistics.median(ml_rounds)
            cairn_lib = statistics.median(cairn_rounds)
            ml_proc, _ = timed([VENV_PY, "-c", MLFLOW_SIDE, db, "search", str(mlflow_runs), MLFLOW_FILTER, "1"], 5)
            cairn_proc, _ = timed([cairn, "run", "ls", "--store", small, "--filter", MLFLOW_FILTER, "--order-by", ORDER,
                                   "--limit", "100", "--json"], 30)
            out.append("")
            out.append(f"At {mlflow_runs} runs (MLflow's store filled with log_batch in {fill:.0f} s), query `{MLFLOW_FILTER}` ordered by eval/loss, 100 runs:\n")
            out.append("| | MLflow 3.17.2 (sqlite) | Cairn | ratio |")
            out.append("| --- | ---: | ---: | ---: |")
            out.append(f"| library, in-process, warm (median of 3 alternated rounds: MLflow {', '.join(f'{x * 1000:.1f}' for x in ml_rounds)}; "
                       f"Cairn {', '.join(f'{x * 1000:.2f}' for x in cairn_rounds)} ms) | {ml['median'] * 1000:.2f} ms | {cairn_lib * 1000:.2f} ms | {ml['median'] / cairn_lib:.1f}× |")
            out.append(f"| whole process (MLflow: python -c, import included) | {ml_proc:.0f} ms | {cairn_proc:.1f} ms | {ml_proc / cairn_proc:.0f}× |")
        print("\n".join(out))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
