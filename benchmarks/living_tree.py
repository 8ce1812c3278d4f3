#!/usr/bin/env python3
"""Benchmark: an adopted tree that its training keeps writing (adoption issue, living trees). Not part of CI.

    python3 benchmarks/living_tree.py [RUNS]      (default 10000; builds the release binary first)

Builds a SuperGradients run-folders tree of RUNS runs (100 experiments, 3 checkpoints each), adopts it,
then times `cairn ckpt ls RUN` as a whole process (the binary the README installs), median of REPEAT:
1. with nothing changed since the last command;
2. right after the training wrote one more checkpoint into RUN's folder (one run changed: each timed
   call is the first after its own new file);
3. right after a new run folder appeared in RUN's experiment (the first command registers it).
The target: a changed tree costs at most 50 ms more than an unchanged one. Also times `cairn adopt
--refresh` (the whole tree read again) once.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
REPEAT = 15
BUILD = ["swift", "build", "-c", "release", "--static-swift-stdlib"]


def build():
    subprocess.run(BUILD + ["--product", "cairn"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(BUILD + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    return os.path.join(out.stdout.strip(), "cairn")


def run_folder(tree, n):
    experiment = "exp%02d" % (n % 100)
    seconds = n // 100
    return os.path.join(tree, "checkpoints", experiment,
                        "RUN_2024%02d%02d_%02d%02d%02d_%06d" % (1 + seconds // 86400 % 12, 1 + seconds // 3600 % 28,
                                                               seconds // 3600 % 24, seconds // 60 % 60, seconds % 60, n))


def make_tree(tree):
    for n in range(RUNS):
        folder = run_folder(tree, n)
        os.makedirs(folder)
        for name in ("ckpt_epoch_1.pth", "ckpt_epoch_2.pth", "ckpt_latest.pth"):
            with open(os.path.join(folder, name), "wb") as f:
                f.write(b"w" * 64)


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    cairn = build()
    work = tempfile.mkdtemp(prefix="cairn-bench-living-")
    try:
        tree = os.path.join(work, "tree")
        make_tree(tree)
        subprocess.run([cairn, "adopt", tree, "--layout", "run-dirs"], check=True, stdout=subprocess.DEVNULL)
        run = os.path.basename(run_folder(tree, 4242 % RUNS))
        ls = [cairn, "ckpt", "ls", run, "--store", tree]
        subprocess.run(ls, check=True, stdout=subprocess.DEVNULL)
        unchanged = statistics.median(timed(ls) for _ in range(REPEAT))
        new_checkpoint = []
        for i in range(REPEAT):
            with open(os.path.join(run_folder(tree, 4242 % RUNS), "ckpt_epoch_%d.pth" % (10 + i)), "wb") as f:
                f.write(b"n" * 64)
            new_checkpoint.append(timed(ls))
        new_run = []
        for i in range(REPEAT):
            folder = os.path.join(os.path.dirname(run_folder(tree, 4242 % RUNS)), "RUN_20250101_000000_%06d" % i)
            os.makedirs(folder)
            with open(os.path.join(folder, "ckpt_epoch_1.pth"), "wb") as f:
                f.write(b"r" * 64)
            new_run.append(timed(ls))
        refresh = timed([cairn, "adopt", "--refresh", "--store", tree])
        a, b = statistics.median(new_checkpoint), statistics.median(new_run)
        print("| %d-run adopted tree | `cairn ckpt ls RUN`, median of %d |" % (RUNS, REPEAT))
        print("|---|---:|")
        print("| nothing changed | %.1f ms |" % (unchanged * 1000))
        print("| one more checkpoint in RUN's folder (first call after it) | %.1f ms (+%.1f ms) |" % (a * 1000, (a - unchanged) * 1000))
        print("| a new run folder in RUN's experiment (first call after it) | %.1f ms (+%.1f ms) |" % (b * 1000, (b - unchanged) * 1000))
        print("| `cairn adopt --refresh` (whole tree) | %.1f ms |" % (refresh * 1000))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
