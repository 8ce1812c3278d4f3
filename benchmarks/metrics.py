#!/usr/bin/env python3
"""Benchmark: metric logging to CSV, and TensorBoard event files written and read, beside the tools
Cairn replaces, in the same run.

Run from the package root:  python3 benchmarks/metrics.py   (builds the release binaries first)
Options: --scratch DIR (SwiftPM scratch path, default .build), --points N (CSV logging, default 10,000,000).

The peers run in a separate venv with pinned versions (tensorboardX is not in the test venv):
    python3 -m venv benchmarks/.venv-bench && benchmarks/.venv-bench/bin/pip install -r benchmarks/requirements-bench.txt

1. Logging to CSV through the single-point call: `cairn-bench-metrics log` (MetricLogger.log, 5 keys in
   turn, wall time from the logger's clock, then close()) beside Python's csv.writer writing the same
   rows one writerow per point (time.time() per row, values with repr, a buffered file).
2. Writing 200,000 scalars (5 tags x 40,000 steps): EventFileWriter.appendScalar (library, then the
   file written) and `cairn tb export` (a whole process: read the run's CSV, write the event file),
   beside tensorboardX's SummaryWriter.add_scalar + close(), both free and pinned with `taskset -c 0`.
3. Reading them back: EventFileReader (library, CRCs checked) and `cairn tb import` (a whole process:
   read the file, append the points to a run's CSV), beside tensorboard's EventAccumulator (Reload,
   then Scalars for every tag), all on the file tensorboardX wrote.
Medians of REPEAT runs (fewer for the slow peers). Values follow one formula on both sides:
tag t at step s has 1 / (1 + s * 0.001) + t * 0.1.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "python")
REPEAT = 5
TAGS, STEPS = 5, 40_000

PY_CSV = r'''
import csv, sys, time
path, points = sys.argv[1], int(sys.argv[2])
keys = [f"metric_{k}" for k in range(5)]
start = time.perf_counter()
with open(path, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(("time", "step", "epoch", "key", "value"))
    logged, step = 0, 0
    while logged < points:
        for k in range(5):
            if logged == points: break
            w.writerow((round(time.time(), 3), step, step // 10000, keys[k], 1 / (1 + step * 0.001) + k * 0.1))
            logged += 1
        step += 1
print(time.perf_counter() - start)
'''

PY_TBX = r'''
import sys, time
from tensorboardX import SummaryWriter
folder, tags, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = [f"metric_{t}" for t in range(tags)]
start = time.perf_counter()
w = SummaryWriter(folder)
for s in range(steps):
    for t in range(tags):
        w.add_scalar(names[t], 1 / (1 + s * 0.001) + t * 0.1, s)
w.close()
print(time.perf_counter() - start)
'''

PY_ACC = r'''
import sys, time
from tensorboard.backend.event_processing import event_accumulator as ea
start = time.perf_counter()
a = ea.EventAccumulator(sys.argv[1], size_guidance={ea.SCALARS: 0})
a.Reload()
n = sum(len(a.Scalars(t)) for t in a.Tags()["scalars"])
elapsed = time.perf_counter() - start
assert n == int(sys.argv[2]), n
print(elapsed)
'''


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def build(scratch):
    base = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", scratch]
    for product in ["cairn", "cairn-bench-metrics"]:
        subprocess.run(base + ["--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(base + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def json_out(cmd):
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def py(script, *args, pin=False):
    cmd = (["taskset", "-c", "0"] if pin else []) + [VENV, "-c", script, *map(str, args)]
    return float(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip())


def median(f, n):
    return statistics.median(f() for _ in range(n))


def main():
    if not os.path.exists(VENV):
        sys.exit(f"no {VENV}: python3 -m venv benchmarks/.venv-bench && benchmarks/.venv-bench/bin/pip install -r benchmarks/requirements-bench.txt")
    points = int(arg("--points", "10000000"))
    bin_path = build(os.path.join(ROOT, arg("--scratch", ".build")))
    cairn, bench = os.path.join(bin_path, "cairn"), os.path.join(bin_path, "cairn-bench-metrics")
    work = tempfile.mkdtemp(prefix="cairn-bench-metrics-", dir=ROOT if "--here" in sys.argv else None)
    rows = []
    try:
        # 1. CSV logging.
        def cairn_log():
            store = os.path.join(work, "log-store")
            shutil.rmtree(store, ignore_errors=True)
            out = json_out([bench, "log", store, str(points)])
            shutil.rmtree(store)
            return out["seconds"]
        cairn_s = median(cairn_log, REPEAT)
        py_points = points // 10
        py_csv = os.path.join(work, "py.csv")
        py_s = median(lambda: py(PY_CSV, py_csv, py_points), 3)
        os.remove(py_csv)
        cairn_rate, py_rate = points / cairn_s, py_points / py_s
        rows.append(("log points to CSV, single-point call", f"{cairn_rate / 1e6:.2f} M points/s ({points:,} in {cairn_s:.2f} s)",
                     f"Python csv.writer: {py_rate / 1e6:.2f} M points/s", cairn_rate / py_rate))

        # 2. Writing event files.
        n = TAGS * STEPS
        lib_file = os.path.join(work, "cairn.tfevents")
        write_s = median(lambda: json_out([bench, "tb-write", lib_file, str(TAGS), str(STEPS)])["seconds"], REPEAT)
        run_store = os.path.join(work, "export-store")
        run_id = subprocess.run([bench, "csv-fill", run_store, str(TAGS), str(STEPS)], check=True, capture_output=True, text=True).stdout.strip()
        export_s = median(lambda: timed([cairn, "tb", "export", run_id, "--store", run_store]), REPEAT)
        tbx_dirs = []
        def tbx(pin):
            folder = os.path.join(work, f"tbx-{len(tbx_dirs)}")
            tbx_dirs.append(folder)
            return py(PY_TBX, folder, TAGS, STEPS, pin=pin)
        tbx_free = median(lambda: tbx(False), 3)
        tbx_pinned = median(lambda: tbx(True), 3)
        tbx_best = min(tbx_free, tbx_pinned)
        tbx_file = os.path.join(tbx_dirs[0], os.listdir(tbx_dirs[0])[0])
        peer = f"tensorboardX add_scalar: {n / tbx_free:,.0f}/s free, {n / tbx_pinned:,.0f}/s pinned ({tbx_best:.2f} s best)"
        rows.append(("write 200,000 scalars: EventFileWriter (library)", f"{write_s * 1000:.1f} ms ({n / write_s / 1e6:.1f} M/s)", peer, tbx_best / write_s))
        rows.append(("write 200,000 scalars: `cairn tb export` (process)", f"{export_s * 1000:.1f} ms", "same", tbx_best / export_s))

        # 3. Reading them back (the file tensorboardX wrote).
        read_s = median(lambda: json_out([bench, "tb-read", tbx_file])["seconds"], REPEAT)
        import_store = os.path.join(work, "import-store")
        subprocess.run([cairn, "init", import_store], check=True, stdout=subprocess.DEVNULL)
        def cairn_import():
            run = subprocess.run([cairn, "run", "new", "-e", "bench/import", "--no-git", "--json", "--store", import_store],
                                 check=True, capture_output=True, text=True)
            rid = json.loads(run.stdout)["id"]
            return timed([cairn, "tb", "import", tbx_file, "--run", rid, "--split", "train", "--store", import_store])
        import_s = median(cairn_import, REPEAT)
        acc_s = median(lambda: py(PY_ACC, tbx_file, n), 3)
        peer = f"EventAccumulator: {n / acc_s:,.0f}/s ({acc_s:.2f} s)"
        rows.append(("read 200,000 scalars: EventFileReader (library)", f"{read_s * 1000:.1f} ms ({n / read_s / 1e6:.1f} M/s)", peer, acc_s / read_s))
        rows.append(("read 200,000 scalars: `cairn tb import` (process, into CSV)", f"{import_s * 1000:.1f} ms", "same", acc_s / import_s))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("| what | Cairn | peer | Cairn speed-up |")
    print("|---|---:|---|---:|")
    for what, ours, peer, ratio in rows:
        print(f"| {what} | {ours} | {peer} | {ratio:,.1f}x |")


if __name__ == "__main__":
    main()
