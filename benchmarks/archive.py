#!/usr/bin/env python3
"""Benchmark: `cairn archive create` beside `tar czf` (gzip -6 through a pipe, GNU tar) on one store
(archive issue).

Run from the package root, after building the release binary (this script builds nothing):
    swift build -c release --static-swift-stdlib --product cairn
    python3 benchmarks/archive.py [--mb 500] [--runs 4] [--repeat 3] [--warm 1] [--cairn PATH]

1. Makes a store under bench-out/archive-store-MB (kept and reused; delete it to make it again) with
   RUNS finished runs of the experiment `bench`, each holding checkpoint-like files: float32 weights
   drawn from a normal distribution and rounded to float16 precision (so they compress somewhat, as
   trained weights do: neither zeros nor pure noise), MB megabytes in all.
2. Times, as whole processes, warm (--warm untimed runs of each first; 0 when the store was just
   written, so its files are in the page cache), alternated, REPEAT times each:
   `tar czf OUT -C STORE .` (GNU tar, gzip in a second process at its default level 6),
   `cairn archive create bench -o OUT` (level 6, verified: the archive is read back and every member
   checked against the manifest's SHA-256) and the same with --no-verify, and prints the medians,
   the throughputs and their ratios to tar's (the target: create at least 0.8x tar czf's throughput).
Results go to stdout as Markdown.
"""
import json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def arg(name, default, kind=int):
    return kind(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def make_store(cairn, store, megabytes, runs):
    import numpy as np
    if os.path.exists(os.path.join(store, "cairn.yaml")):
        return
    subprocess.run([cairn, "init", store], check=True, stdout=subprocess.DEVNULL)
    rng = np.random.default_rng(7)
    per_run = megabytes * 1_000_000 // runs
    for index in range(runs):
        out = subprocess.run([cairn, "run", "new", "-e", "bench", "--no-git", "--store", store, "--json"], check=True, capture_output=True, text=True)
        run = json.loads(out.stdout)
        folder = os.path.join(store, run["folder"]) if not os.path.isabs(run["folder"]) else run["folder"]
        os.makedirs(os.path.join(folder, "checkpoints"), exist_ok=True)
        written = 0
        epoch = 0
        while written < per_run:
            epoch += 1
            count = min(per_run - written, 32_000_000) // 4
            weights = (rng.standard_normal(count) * 0.02).astype(np.float16).astype(np.float32)
            with open(os.path.join(folder, "checkpoints", f"epoch_{epoch:04d}.bin"), "wb") as f:
                f.write(weights.tobytes())
            written += count * 4
        subprocess.run([cairn, "run", "finish", run["id"], "--store", store], check=True, stdout=subprocess.DEVNULL)


def timed(command, out):
    if os.path.exists(out):
        os.remove(out)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return seconds, os.path.getsize(out)


def main():
    megabytes = arg("--mb", 500)
    runs = arg("--runs", 4)
    repeat = arg("--repeat", 3)
    cairn = arg("--cairn", os.path.join(ROOT, ".build", "release", "cairn"), str)
    store = os.path.join(ROOT, "bench-out", f"archive-store-{megabytes}")
    out_dir = os.path.join(ROOT, "bench-out")
    make_store(cairn, store, megabytes, runs)
    data = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(store) for f in fs)
    commands = {
        "tar czf": ["tar", "czf", os.path.join(out_dir, "bench-tar.tar.gz"), "-C", store, "."],
        "cairn archive create": [cairn, "archive", "create", "bench", "--store", store, "-o", os.path.join(out_dir, "bench-cairn.tar.gz")],
        "cairn archive create --no-verify": [cairn, "archive", "create", "bench", "--store", store, "--no-verify",
                                             "-o", os.path.join(out_dir, "bench-cairn-nv.tar.gz")],
    }
    outputs = {"tar czf": "bench-tar.tar.gz", "cairn archive create": "bench-cairn.tar.gz",
               "cairn archive create --no-verify": "bench-cairn-nv.tar.gz"}
    for _ in range(arg("--warm", 1)):  # untimed, to warm the page cache
        for name, command in commands.items():
            timed(command, os.path.join(out_dir, outputs[name]))
    times = {name: [] for name in commands}
    sizes = {}
    for _ in range(repeat):
        for name, command in commands.items():
            seconds, size = timed(command, os.path.join(out_dir, outputs[name]))
            times[name].append(seconds)
            sizes[name] = size
    load = os.getloadavg()
    print(f"Store: {runs} runs, {data / 1e6:.0f} MB of files; {os.cpu_count()} cores; load average before the last run "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.\n")
    print("| command | median s | MB/s | archive MB | throughput ÷ tar czf |")
    print("| --- | ---: | ---: | ---: | ---: |")
    base = statistics.median(times["tar czf"])
    for name in commands:
        median = statistics.median(times[name])
        print(f"| `{name}` | {median:.2f} | {data / 1e6 / median:.0f} | {sizes[name] / 1e6:.0f} | {base / median:.2f}× |")
    for name in outputs.values():
        os.remove(os.path.join(out_dir, name))


if __name__ == "__main__":
    main()
