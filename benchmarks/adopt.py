#!/usr/bin/env python3
"""Adopt and migrate benchmarks (layouts issue). Not part of CI.

    python3 benchmarks/adopt.py [FILES]      (default 100000)

1. Generates a prompt-tree tree of FILES files (runs of 100 small checkpoint files each) and times
   `cairn adopt PATH --layout prompt-tree --store DIR` (whole process, the release build the README installs) beside
   `find PATH -type f`, same run, median of 5 each (page cache warm for both); then the same with the
   default `--layout auto` (every built-in layout tried; reported, no target).
2. Generates a seed-003 legacy tree of 10,000 files (2,000 folder checkpoints of 5 files), adopts it,
   and times `cairn migrate --to typed-folders` (one run: it moves the files).
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def build():
    # The binary the README installs: release, the Swift runtime linked statically.
    build = ["swift", "build", "-c", "release", "--static-swift-stdlib"]
    subprocess.run(build + ["--product", "cairn"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(build + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "cairn")


def timed(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def prompt_tree(base, files):
    runs = files // 100
    for r in range(runs):
        d = os.path.join(base, "checkpoints", "arch%d" % (r % 10), "tag%d" % (r // 10 % 10),
                         "train-P%d" % (r // 100), "val-P%d" % (r % 7 + 1))
        os.makedirs(d, exist_ok=True)
        for i in range(100):
            with open(os.path.join(d, "checkpoint_%d_%d.pt" % (i // 2 + 1, (i + 1) * 50)), "wb") as f:
                f.write(b"x" * 64)


def legacy_tree(base, folders):
    for n in range(folders):
        kind = "vision" if n % 2 else "memory"
        d = os.path.join(base, "checkpoints", "%s_model_checkpoint_%d" % (kind, n))
        os.makedirs(d)
        for name in ("model.pth", "optimizer.pth", "scheduler.pth"):
            with open(os.path.join(d, name), "wb") as f:
                f.write(b"y" * 64)
        with open(os.path.join(d, "config.json"), "w") as f:
            f.write('{"model_type": "%s", "hidden": 256}\n' % kind)
        with open(os.path.join(d, "training_info.json"), "w") as f:
            f.write('{"epoch": %d, "loss": 0.5}\n' % n)


def main():
    cairn = build()
    work = tempfile.mkdtemp(prefix="cairn-bench-adopt-")
    try:
        tree = os.path.join(work, "tree")
        prompt_tree(tree, FILES)
        subprocess.run(["sync"])
        finds, adopts = [], []
        for i in range(5):
            finds.append(timed(["find", tree, "-type", "f"]))
            store = os.path.join(work, "store%d" % i)
            adopts.append(timed([cairn, "adopt", tree, "--layout", "prompt-tree", "--store", store]))
            shutil.rmtree(store)
        f, a = statistics.median(finds), statistics.median(adopts)
        print("adopt %d files: cairn adopt %.3f s, find -type f %.3f s, ratio %.2fx (target <= 3x)" % (FILES, a, f, a / f))
        autos = []
        for i in range(5):
            store = os.path.join(work, "auto%d" % i)
            autos.append(timed([cairn, "adopt", tree, "--store", store]))
            shutil.rmtree(store)
        print("adopt %d files with --layout auto (9 layouts tried): %.3f s, ratio %.2fx" % (FILES, statistics.median(autos), statistics.median(autos) / f))

        legacy = os.path.join(work, "legacy")
        legacy_tree(legacy, 2000)
        subprocess.run([cairn, "adopt", legacy, "--layout", "typed-folders-legacy"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["sync"])
        m = timed([cairn, "migrate", "--to", "typed-folders", "--store", legacy])
        print("migrate 10,000 files (2,000 folder checkpoints) within one file system: %.3f s (target <= 10 s)" % m)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
