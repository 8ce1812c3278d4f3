#!/usr/bin/env python3
"""Benchmark: `cairn du` beside `du -s` on a store of RUNS runs with 10 checkpoint files each (du issue).

Run from the package root, after building the release binary (this script builds nothing):
    swift build -c release --static-swift-stdlib --product cairn
    python3 benchmarks/du.py [--runs 10000] [--repeat 5] [--cairn PATH]   (PATH: another binary, e.g. a debug one)

1. Writes the store's files directly, as docs/FORMAT.md specifies them (cairn.yaml, .cairn/ registry,
   experiment records, run folders with run.json, params.json, tags.json, config.yaml,
   checkpoints/epoch_NNNN.pt × 10 with a hard-link pointer checkpoints/last.pt and a symbolic-link
   pointer checkpoints/best.pt, checkpoints.jsonl, metrics/train/metrics.csv, logs/training.log),
   100 experiments, then `cairn reindex` once. The store is kept under bench-out/du-store-RUNS and
   reused by later runs of the script (delete the folder to make it again).
2. Times, as whole processes, warm (one untimed run of each first), alternated, REPEAT times each:
   `cairn du --store S` and `du -s S`, and prints the medians, their ratio and the targets
   (≤ 1 s, ≤ 1.5× du -s). First checks that `cairn du --json` counts every run and that its total
   equals the bytes the generator wrote into run folders (the hard-link pointer once, the symbolic
   link nothing).
Results go to stdout as Markdown.
"""
import json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAIRN = os.path.join(ROOT, ".build", "release", "cairn")
EXPERIMENTS = 100
CHECKPOINTS = 10


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def record(obj):
    return json.dumps(obj, indent=2, sort_keys=True) + "\n"


def generate(store, runs):
    """The store's files as docs/FORMAT.md names them; returns the bytes of regular files in run folders."""
    write(os.path.join(store, ".cairn", "store.lock"), "")
    os.makedirs(os.path.join(store, ".cairn", "runs"), exist_ok=True)
    counted = 0
    for e in range(1, EXPERIMENTS + 1):
        meta = os.path.join(store, ".cairn", "experiments", str(e))
        write(os.path.join(meta, "experiment.json"),
              record({"format": 1, "id": str(e), "name": f"bench/exp{e:03d}", "created_at": "2026-12-01T00:00:00.000Z"}))
        os.makedirs(os.path.join(meta, "runs"), exist_ok=True)
    latest = {}
    for i in range(runs):
        e = i % EXPERIMENTS + 1
        s = i  # one run a second: ids unique and in creation order (runs ≤ 86,400)
        run_id = f"20261201-{(s // 3600) % 24:02d}{(s // 60) % 60:02d}{s % 60:02d}-000-b{i % 1000:03d}"
        folder = f"bench/exp{e:03d}/{run_id}"
        run = os.path.join(store, folder)
        t = f"2026-12-01T{(s // 3600) % 24:02d}:{(s // 60) % 60:02d}:{s % 60:02d}.000Z"
        files = {
            "run.json": record({"format": 1, "id": run_id, "experiment": f"bench/exp{e:03d}", "experiment_id": str(e),
                                "status": "FINISHED", "start_time": t, "end_time": t, "duration_seconds": 0,
                                "host": "bench", "user": "bench", "pid": 1, "command": ["train.py"],
                                "config_overrides": [], "layout": "cairn"}),
            "params.json": record({"lr": "0.001"}),
            "tags.json": record({}),
            "config.yaml": "{}\n",
            "logs/training.log": f"{t} out epoch 1 loss 0.5\n" * 20,
            "metrics/train/metrics.csv": "time,step,epoch,key,value\n" + "".join(
                f"1764547200,{k},{k},loss,{1 / (k + 1):.6f}\n" for k in range(50)),
        }
        manifest = []
        for c in range(1, CHECKPOINTS + 1):
            name = f"checkpoints/epoch_{c:04d}.pt"
            files[name] = bytes([c]) * (4096 + c)
            manifest.append(json.dumps({"event": "begin", "time": t, "seq": c, "path": name, "kind": "file", "epoch": c,
                                        "metrics": {}, "bytes": 4096 + c, "sha256": "0" * 64}, separators=(",", ":")))
            manifest.append(json.dumps({"event": "commit", "time": t, "seq": c, "policy": {}, "decision": "kept: all"},
                                       separators=(",", ":")))
        files["checkpoints.jsonl"] = "\n".join(manifest) + "\n"
        for rel, data in files.items():
            write(os.path.join(run, rel), data)
            counted += len(data if isinstance(data, bytes) else data.encode())
        last = f"checkpoints/epoch_{CHECKPOINTS:04d}.pt"
        os.link(os.path.join(run, last), os.path.join(run, "checkpoints", "last.pt"))
        os.symlink(f"epoch_{CHECKPOINTS - 1:04d}.pt", os.path.join(run, "checkpoints", "best.pt"))
        write(os.path.join(store, ".cairn", "experiments", str(e), "runs", run_id + ".json"),
              record({"id": run_id, "experiment_id": str(e), "folder": folder, "layout": "cairn"}))
        latest[e] = max(latest.get(e, ""), run_id)
    for e, run_id in latest.items():
        write(os.path.join(store, ".cairn", "experiments", str(e), "latest"), run_id + "\n")
    # cairn.yaml last: a store exists only once it is complete.
    write(os.path.join(store, "cairn.yaml"), 'format: "1.0"\nlayout: cairn\nlayouts: {}\ndefaults: {}\n')
    return counted


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    global CAIRN
    runs, repeat = arg("--runs", 10000), arg("--repeat", 5)
    if "--cairn" in sys.argv:
        CAIRN = os.path.abspath(sys.argv[sys.argv.index("--cairn") + 1])
    if not os.path.exists(CAIRN):
        sys.exit("build first: swift build -c release --static-swift-stdlib --product cairn")
    store = os.path.join(ROOT, "bench-out", f"du-store-{runs}")
    expected_file = os.path.join(store, ".bench-bytes")
    if not os.path.exists(os.path.join(store, "cairn.yaml")):
        subprocess.run(["rm", "-rf", store], check=True)
        start = time.perf_counter()
        counted = generate(store, runs)
        write(expected_file, str(counted))
        print(f"generated {runs} runs in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        start = time.perf_counter()
        subprocess.run([CAIRN, "reindex", "--store", store], check=True, stdout=subprocess.DEVNULL)
        print(f"reindexed in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    counted = int(open(expected_file).read())

    answer = json.loads(subprocess.run([CAIRN, "du", "--json", "--store", store], check=True,
                                       capture_output=True, text=True).stdout)
    total, run_count = answer["total"]["total"], len(answer["runs"])
    assert run_count == runs, f"cairn du counted {run_count} runs, not {runs}"
    assert total == counted, f"cairn du counted {total} bytes, the generator wrote {counted}"

    cairn_cmd, du_cmd = [CAIRN, "du", "--store", store], ["du", "-s", store]
    timed(cairn_cmd), timed(du_cmd)  # warm the page cache and the index
    cairn_times, du_times = [], []
    for _ in range(repeat):
        cairn_times.append(timed(cairn_cmd))
        du_times.append(timed(du_cmd))
    c, d = statistics.median(cairn_times), statistics.median(du_times)
    files = runs * (len(["run.json", "params.json", "tags.json", "config.yaml", "training.log", "metrics.csv",
                         "checkpoints.jsonl"]) + CHECKPOINTS + 2)
    print(f"Store: {runs} runs in {EXPERIMENTS} experiments, {CHECKPOINTS} checkpoint files per run "
          f"(≈ {files:,} entries), {counted / 2**20:.1f} MiB counted; cairn du's total equals the bytes written "
          f"(hard-link pointer once, symbolic link nothing). {os.cpu_count()} cores; median of {repeat}, warm.\n")
    print("| command | times (s) | median | target | met |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| `cairn du --store S` | {', '.join(f'{t:.3f}' for t in cairn_times)} | **{c:.3f} s** | ≤ 1 s | "
          f"{'yes' if c <= 1 else 'no'} |")
    print(f"| `du -s S` | {', '.join(f'{t:.3f}' for t in du_times)} | {d:.3f} s | — | — |")
    print(f"| ratio | | **{c / d:.2f}×** | ≤ 1.5× | {'yes' if c / d <= 1.5 else 'no'} |")


if __name__ == "__main__":
    main()
