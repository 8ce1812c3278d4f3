#!/usr/bin/env python3
"""Benchmark: `cairn gc --dry-run` on a store of RUNS runs with 10 checkpoints each (gc issue: ≤ 1 s at 10,000).

Run from the package root, after building the release binary (this script builds nothing):
    swift build -c release --static-swift-stdlib --product cairn
    python3 benchmarks/gc.py [--runs 10000] [--repeat 5] [--cairn PATH]   (PATH: another binary, e.g. a debug one)

1. Writes the store with benchmarks/du.py's generator (files as docs/FORMAT.md specifies them: 100
   experiments, each run folder with run.json, params, tags, config, a log, metrics, 10 checkpoint files
   recorded in checkpoints.jsonl with their sizes, a hard-link and a symbolic-link pointer). The store is
   kept under bench-out/gc-store-RUNS and reused by later runs of the script (delete it to make it again);
   gc --dry-run changes nothing, which the script checks (a checksum of every entry's path, size and
   mtime before and after).
2. Checks the plans: `cairn gc --dry-run --json` looks at every run and deletes nothing (the runs' policy
   keeps everything); `cairn gc --dry-run --keep last --json` deletes 9 checkpoints of each run with the
   bytes the manifests record.
3. Times, as whole processes, warm (one untimed run first), REPEAT times each: `cairn gc --dry-run --yes`
   (each run's policy), `cairn gc --dry-run --yes --keep last` (every run has 9 checkpoints to delete: the
   text lists 90,000 lines) and `cairn gc --dry-run --yes --keep last --status FAILED --older-than 1d`,
   output to /dev/null, and prints the medians beside the 1 s target. Results go to stdout as Markdown.
"""
import json, os, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import du  # noqa: E402  (the du benchmark's generator)

ROOT = du.ROOT
CAIRN = os.path.join(ROOT, ".build", "release", "cairn")


def checksum(root):
    entries = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            entries[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return entries


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    global CAIRN
    runs, repeat = du.arg("--runs", 10000), du.arg("--repeat", 5)
    if "--cairn" in sys.argv:
        CAIRN = os.path.abspath(sys.argv[sys.argv.index("--cairn") + 1])
    if not os.path.exists(CAIRN):
        sys.exit("build first: swift build -c release --static-swift-stdlib --product cairn")
    store = os.path.join(ROOT, "bench-out", f"gc-store-{runs}")
    if not os.path.exists(os.path.join(store, "cairn.yaml")):
        subprocess.run(["rm", "-rf", store], check=True)
        start = time.perf_counter()
        du.generate(store, runs)
        print(f"generated {runs} runs in {time.perf_counter() - start:.1f} s", file=sys.stderr)

    before = checksum(store)
    plain = json.loads(subprocess.run([CAIRN, "gc", "--dry-run", "--json", "--store", store], check=True,
                                      capture_output=True, text=True).stdout)
    assert plain["runs_examined"] == runs, f"gc looked at {plain['runs_examined']} runs, not {runs}"
    assert not plain["deleted_checkpoints"] and not plain["skipped_runs"], "the runs' policy keeps everything"
    last = json.loads(subprocess.run([CAIRN, "gc", "--dry-run", "--keep", "last", "--json", "--store", store], check=True,
                                     capture_output=True, text=True).stdout)
    deleted = len(last["deleted_checkpoints"])
    expected = sum(4096 + c for c in range(1, du.CHECKPOINTS)) * runs
    assert deleted == runs * (du.CHECKPOINTS - 1), f"--keep last plans {deleted} deletions"
    assert last["bytes_freed"] == expected, f"--keep last frees {last['bytes_freed']}, not {expected}"

    commands = [
        ("`cairn gc --dry-run --yes`", [CAIRN, "gc", "--dry-run", "--yes", "--store", store]),
        ("`cairn gc --dry-run --yes --keep last`", [CAIRN, "gc", "--dry-run", "--yes", "--keep", "last", "--store", store]),
        ("`… --keep last --status FAILED --older-than 1d`",
         [CAIRN, "gc", "--dry-run", "--yes", "--keep", "last", "--status", "FAILED", "--older-than", "1d", "--store", store]),
    ]
    for _, cmd in commands:
        timed(cmd)  # warm the page cache
    results = []
    for label, cmd in commands:
        times = [timed(cmd) for _ in range(repeat)]
        results.append((label, times, statistics.median(times)))
    assert checksum(store) == before, "gc --dry-run changed the store"

    load = os.getloadavg()
    print(f"Store: {runs} runs in {du.EXPERIMENTS} experiments, {du.CHECKPOINTS} checkpoints per run recorded in their "
          f"manifests; --keep last plans {deleted:,} deletions ({expected / 2**20:.1f} MiB). The store's checksum (every "
          f"entry's path, size, mtime) is unchanged after every dry run. {os.cpu_count()} cores, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end; median of {repeat}, warm.\n")
    print("| command | times (s) | median | target | met |")
    print("| --- | --- | --- | --- | --- |")
    for label, times, median in results:
        print(f"| {label} | {', '.join(f'{t:.3f}' for t in times)} | **{median:.3f} s** | ≤ 1 s | {'yes' if median <= 1 else 'no'} |")


if __name__ == "__main__":
    main()
