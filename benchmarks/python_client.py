#!/usr/bin/env python3
"""Benchmark: the Python client's cost to a training loop, beside the floor and the peers, in one run.

    python3 benchmarks/python_client.py [CALLS]        (default 200,000; builds the release binary first)

The peers run in the benchmark venv (pinned in benchmarks/requirements-bench.txt, mlflow included);
the client is installed there from python/ at start.

1. `run.log({"loss": v}, step=i)` of one scalar per call from a Python loop, sustained to disk (CSV and
   the live event file: the time includes the final flush), beside the floor
   `def log(d, step): buf.append((d, step))` called the same way, tensorboardX's `add_scalar` (then
   `close()`), and `mlflow.log_metric` with a local file store (fewer calls: it is slow; per-call times
   compared). Medians of 3.
2. `run.checkpoint` of a 1 GiB file just written: the time from the end of the write to the block's exit
   (the hand-over), then until `run.wait()` returns (durable and verified), beside the Swift library's
   own background save of the same file (`cairn-bench background-save`: saveInBackground, close()).
3. A training loop's own speed (numpy, about 1 ms a step, 10,000 steps, OPENBLAS_NUM_THREADS=1) with
   `run.log` every step, against the same loop without logging: 5 interleaved pairs, the median
   difference beside the pairs' spread; then, because whole runs on this VM drift by 10-25%, the same
   loop in one process in 400 pairs of 100-step blocks, logging in every other block; and the same with
   the floor's `log` instead of `run.log` (what any Python call costs a loop whose arrays push the
   interpreter out of the CPU's caches).
"""
import os, shutil, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "benchmarks", ".venv-bench", "bin", "python")
CALLS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
MLFLOW_CALLS = 2_000

FLOOR = r'''
import sys, time
calls = int(sys.argv[1]); buf = []
def log(d, step): buf.append((d, step))
t = time.perf_counter()
for i in range(calls): log({"loss": 1.0 / (i + 1)}, i)
print(time.perf_counter() - t)
'''

CAIRN_LOG = r'''
import sys, time, cairn
calls, store = int(sys.argv[1]), sys.argv[2]
run = cairn.init(experiment="bench/log", store=store)
t = time.perf_counter()
for i in range(calls): run.log({"loss": 1.0 / (i + 1)}, step=i)
run.flush()
print(time.perf_counter() - t)
run.finish()
'''

TBX = r'''
import sys, time
from tensorboardX import SummaryWriter
calls, folder = int(sys.argv[1]), sys.argv[2]
w = SummaryWriter(folder)
t = time.perf_counter()
for i in range(calls): w.add_scalar("loss", 1.0 / (i + 1), i)
w.close()
print(time.perf_counter() - t)
'''

MLFLOW = r'''
import os, sys, time, warnings
warnings.filterwarnings("ignore")
os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
import mlflow
calls, folder = int(sys.argv[1]), sys.argv[2]
mlflow.set_tracking_uri("file://" + folder)
with mlflow.start_run():
    t = time.perf_counter()
    for i in range(calls): mlflow.log_metric("loss", 1.0 / (i + 1), step=i)
    print(time.perf_counter() - t)
'''

CHECKPOINT = r'''
import os, sys, time, cairn
store, size = sys.argv[1], int(sys.argv[2])
run = cairn.init(experiment="bench/ckpt", store=store)
block = os.urandom(1 << 20)
with run.checkpoint(epoch=1) as path:
    with open(path, "wb") as f:
        for _ in range(size >> 20): f.write(block)
    written = time.perf_counter()
handed = time.perf_counter()
run.wait()
durable = time.perf_counter()
print(handed - written, durable - written)
run.finish()
'''


LOOP = r'''
import os, sys, time
import numpy as np
steps, store, logging = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
rng = np.random.default_rng(0)
a = rng.normal(size=(205, 205)); w = rng.normal(size=(205, 205)) * 0.01
run = None
if logging:
    import cairn
    run = cairn.init(experiment="bench/loop", store=store)
t = time.perf_counter()
for i in range(steps):
    h = np.tanh(a @ w)
    w -= 1e-4 * (a.T @ h)
    loss = float(h[0, 0])
    if run is not None:
        run.log({"loss": loss}, step=i)
if run is not None:
    run.flush()
print(time.perf_counter() - t)
if run is not None:
    run.finish()
'''


# The same loop in blocks of BLOCK steps, run.log on in every other block: blocks next to each other see
# the same machine, so the ratio of a logged block to the plain block before it is free of the drift
# that makes whole runs on this VM differ by 10-25%.
BLOCKS = r'''
import sys, time
import numpy as np
pairs, block, store, logger = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
import cairn
rng = np.random.default_rng(0)
a = rng.normal(size=(205, 205)); w = rng.normal(size=(205, 205)) * 0.01
run = cairn.init(experiment="bench/blocks", store=store)
log = run.log
if logger == "floor":
    buf = []
    def log(d, step): buf.append((d, step))
step = 0
for p in range(pairs):
    times = []
    for logging in (False, True):
        t = time.perf_counter()
        for i in range(block):
            h = np.tanh(a @ w)
            w -= 1e-4 * (a.T @ h)
            loss = float(h[0, 0])
            if logging:
                log({"loss": loss}, step=step)
            step += 1
        times.append(time.perf_counter() - t)
    print(times[0], times[1])
run.flush()
run.finish()
'''


def python(script, *args, env=None):
    out = subprocess.run([VENV, "-c", script, *map(str, args)], check=True, capture_output=True, text=True, env=env)
    return [float(x) for x in out.stdout.split()]


def main():
    for product in ("cairn", "cairn-bench"):
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "cairn")
    bench = os.path.join(ROOT, ".build", "release", "cairn-bench")
    subprocess.run([VENV, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", os.path.join(ROOT, "python")],
                   check=True)
    shutil.rmtree(os.path.join(ROOT, "python", "build"), ignore_errors=True)
    env = dict(os.environ, CAIRN_BIN=binary)
    env.pop("CAIRN_SOCKET", None)
    env.pop("CAIRN_RUN_ID", None)
    work = tempfile.mkdtemp(prefix="cairn-bench-py-")
    try:
        store = os.path.join(work, "store")
        subprocess.run([binary, "init", store], check=True, stdout=subprocess.DEVNULL)
        floor, ours, tbx, mlf = [], [], [], []
        for round in range(3):
            floor += python(FLOOR, CALLS, env=env)
            ours += python(CAIRN_LOG, CALLS, store, env=env)
            tbx += python(TBX, CALLS, os.path.join(work, f"tb{round}"), env=env)
            mlf += python(MLFLOW, MLFLOW_CALLS, os.path.join(work, f"mlruns{round}"), env=env)
        f, o, t, m = (statistics.median(x) for x in (floor, ours, tbx, mlf))
        per = lambda total, calls: total / calls * 1e6
        print(f"run.log of one scalar, {CALLS:,} calls, sustained to disk (CSV + live event file):")
        print(f"  floor buf.append       {per(f, CALLS):7.2f} us/call")
        print(f"  cairn run.log          {per(o, CALLS):7.2f} us/call   {o / f:5.2f}x the floor (target <= 3x)")
        print(f"  tensorboardX add_scalar{per(t, CALLS):7.2f} us/call   {t / o:5.1f}x cairn (target >= 10x)")
        print(f"  mlflow.log_metric      {per(m, MLFLOW_CALLS):7.0f} us/call   {per(m, MLFLOW_CALLS) / per(o, CALLS):5.0f}x cairn (target >= 100x; {MLFLOW_CALLS:,} calls, file store)")
        handed, durable, swift_handed, swift_durable = [], [], [], []
        for _ in range(3):
            h, d = python(CHECKPOINT, store, 1 << 30, env=env)
            handed.append(h)
            durable.append(d)
            out = subprocess.run([bench, "background-save", store, str(1 << 30)], check=True, capture_output=True, text=True).stdout.split()
            swift_handed.append(float(out[0]))
            swift_durable.append(float(out[1]))
        d, sd = statistics.median(durable), statistics.median(swift_durable)
        print(f"run.checkpoint of 1 GiB just written: hand-over {statistics.median(handed) * 1000:.1f} ms after the write (target <= 20 ms); "
              f"durable and verified {d:.2f} s after it, the Swift library's own background save {sd:.2f} s "
              f"(hand-over {statistics.median(swift_handed) * 1000:.1f} ms): {d / sd:.2f}x (target <= 1.1x)")
        loop_env = dict(env, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        plain, logged = [], []
        for _ in range(5):
            plain += python(LOOP, 10_000, store, 0, env=loop_env)
            logged += python(LOOP, 10_000, store, 1, env=loop_env)
        differences = [(b - a) / a * 100 for a, b in zip(plain, logged)]
        spread = (max(plain) - min(plain)) / statistics.median(plain) * 100
        print(f"training loop, 10,000 steps: without logging {statistics.median(plain):.2f} s, with run.log every step "
              f"{statistics.median(logged):.2f} s: median difference {statistics.median(differences):+.2f}% "
              f"(pairs {', '.join(f'{d:+.1f}%' for d in differences)}; spread of the plain runs {spread:.1f}%; target < 1% and below the spread)")
        for logger in ("cairn", "floor"):
            blocks = python(BLOCKS, 400, 100, store, logger, env=loop_env)
            ratios = [(b - a) / a * 100 for a, b in zip(blocks[0::2], blocks[1::2])]
            q = statistics.quantiles(ratios, n=4)
            what = "run.log" if logger == "cairn" else "the floor's log"
            print(f"the same loop in-process, 400 pairs of 100-step blocks (plain, then {what} every step): median difference "
                  f"{statistics.median(ratios):+.2f}% (quartiles {q[0]:+.1f}% to {q[2]:+.1f}%; mean {statistics.mean(ratios):+.2f}% "
                  f"± {2 * statistics.stdev(ratios) / len(ratios) ** 0.5:.2f}% for 95%)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
