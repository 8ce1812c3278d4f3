#!/usr/bin/env python3
"""Benchmark: `cairn latest EXP` and `cairn path EXP latest` as whole processes, beside the same
binary's `cairn --version` (the cost of starting the process: the goal is at most 1.3× it) and the Python
function that scans the experiment folder the way super-gradients' get_latest_run_id does.

Run from the package root:  python3 benchmarks/latest.py   (builds the release binaries first)

It fills stores of 1,000, 10,000 and (with --big) 100,000 runs across 10 experiments through Cairn's
library (cairn-bench populate), then times each command REPEAT times and reports the median wall time
in milliseconds and the ratio of Python to Cairn. Results go to stdout as a Markdown table.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPEAT = 40
BUILD = ["swift", "build", "-c", "release", "--static-swift-stdlib"]

# The equivalent of super-gradients' get_latest_run_id, adapted to Cairn's folders: list the
# experiment folder, keep the run folders, take the newest by name (run ids sort by time).
PY_LATEST = r'''
import os, sys
def get_latest_run_id(root, experiment):
    folder = os.path.join(root, experiment)
    runs = [d for d in os.listdir(folder) if d[:2] == "20" and os.path.isdir(os.path.join(folder, d))]
    return max(runs) if runs else None
print(get_latest_run_id(sys.argv[1], sys.argv[2]))
'''


def build():
    for product in ["cairn", "cairn-bench"]:
        subprocess.run(BUILD + ["--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(BUILD + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def median_ms(cmd, env=None):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)  # warm the page cache
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main():
    sizes = [1_000, 10_000] + ([100_000] if "--big" in sys.argv else [])
    bin_path = build()
    cairn = os.path.join(bin_path, "cairn")
    bench = os.path.join(bin_path, "cairn-bench")
    rows = []
    work = tempfile.mkdtemp(prefix="cairn-bench-latest-")
    try:
        for total in sizes:
            store = os.path.join(work, f"store-{total}")
            start = time.perf_counter()
            subprocess.run([bench, "populate", store, "10", str(total // 10)], check=True)
            fill = time.perf_counter() - start
            exp = "bench/exp7"
            expected = subprocess.run([cairn, "latest", exp, "--store", store], check=True, capture_output=True, text=True).stdout.strip()
            python = subprocess.run([sys.executable, "-c", PY_LATEST, store, exp], check=True, capture_output=True, text=True).stdout.strip()
            assert python == expected, (python, expected)
            version, version_max = median_ms([cairn, "--version"])
            latest, latest_max = median_ms([cairn, "latest", exp, "--store", store])
            path, path_max = median_ms([cairn, "path", exp, "latest", "--store", store])
            py, py_max = median_ms([sys.executable, "-c", PY_LATEST, store, exp])
            rows.append((total, fill, version, version_max, latest, latest_max, path, path_max, py, py_max))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| runs in store | fill (s) | `cairn --version` median (max) ms | `cairn latest` median (max) ms "
          f"| `cairn path EXP latest` median (max) ms | latest / --version | path / --version "
          f"| Python scan median (max) ms | Python / Cairn |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for total, fill, version, vmax, latest, lmax, path, pmax, py, pymax in rows:
        print(f"| {total:,} | {fill:.1f} | {version:.1f} ({vmax:.1f}) | {latest:.1f} ({lmax:.1f}) | {path:.1f} ({pmax:.1f}) "
              f"| {latest / version:.2f}× | {path / version:.2f}× | {py:.1f} ({pymax:.1f}) | {py / latest:.1f}× |")


if __name__ == "__main__":
    main()
