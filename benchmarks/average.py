#!/usr/bin/env python3
"""Averaging three 1 GiB float32 safetensors checkpoints, side by side in one run:

  Cairn        the release `cairn ckpt average RUN --last 3 -o OUT`: inputs mapped, the mean of each
               float32 tensor summed in float64, the output streamed to a temporary file (hashed with
               SHA-256 on a second thread), renamed into place and recorded in artifacts.jsonl. Once as
               it runs by default (the output synced to the disk before it appears), once with --no-sync
  Python       safetensors.numpy.load_file of the three files, (a + b + c) / 3 per tensor in float32
               (what a script does), safetensors.numpy.save_file of the result (no sync)

GB/s are of input: the three files' bytes (10^9 bytes a GB) over the wall time of the whole command.
Warm page cache: medians of --rounds interleaved rounds. Cold: the inputs' pages dropped before each run
(posix_fadvise DONTNEED on the three files: the same as `echo 3 > /proc/sys/vm/drop_caches` for them,
without emptying the other users' caches), beside `cat` of the three files (the disk's floor).

Run from the package root:
    swift build -c release --static-swift-stdlib --product cairn && python3 benchmarks/average.py [--mib 1024] [--rounds 3]
Python's side uses .venv (scripts/test makes it: numpy, safetensors), or $CAIRN_PYTHON.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAIRN = os.path.join(ROOT, ".build", "release", "cairn")
PYTHON = os.environ.get("CAIRN_PYTHON") or os.path.join(ROOT, ".venv", "bin", "python")

MAKE = """
import sys, numpy as np
from safetensors.numpy import save_file
path, mib, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(seed)
count = 32                                   # tensors of mib/32 MiB each, plus a step counter
per = mib * 2**20 // 4 // count
tensors = {f"layers.{i}.weight": rng.standard_normal(per, dtype=np.float32).reshape(-1, 256) for i in range(count)}
tensors["bn.num_batches_tracked"] = np.array(seed * 100, dtype=np.int64)
save_file(tensors, path, metadata={"format": "pt"})
"""

PEER = """
import sys, time
from safetensors.numpy import load_file, save_file
t = time.perf_counter()
files = [load_file(p) for p in sys.argv[2:]]
out = {}
for name, first in files[-1].items():
    if first.dtype.kind == "f":
        total = files[0][name].copy()
        for f in files[1:]: total += f[name]
        out[name] = total / len(files)
    else:
        out[name] = first
save_file(out, sys.argv[1])
print(time.perf_counter() - t)
"""

def drop(path):
    fd = os.open(path, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)

def cairn(store, *args):
    return subprocess.run([CAIRN, *args, "--store", store], check=True, capture_output=True, text=True).stdout

def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not os.path.exists(CAIRN):
        sys.exit("build it first: swift build -c release --static-swift-stdlib --product cairn")
    folder = tempfile.mkdtemp(prefix="cairn-bench-average-", dir=os.path.join(ROOT, ".build"))
    try:
        store = os.path.join(folder, "store")
        subprocess.run([CAIRN, "init", store], check=True, capture_output=True)
        run = json.loads(cairn(store, "run", "new", "-e", "bench/average", "--json", "--no-git"))["id"]
        inputs = []
        for epoch in (1, 2, 3):
            source = os.path.join(folder, f"e{epoch}.safetensors")
            subprocess.run([PYTHON, "-c", MAKE, source, str(args.mib), str(epoch)], check=True)
            saved = json.loads(cairn(store, "ckpt", "save", run, source, "--epoch", str(epoch), "--move", "--save-strategy", "all", "--json"))
            inputs.append(saved["saved"]["path"])
        size = sum(os.path.getsize(p) for p in inputs)
        out = os.path.join(folder, "average.safetensors")
        peer_out = os.path.join(folder, "peer.safetensors")
        runs = {
            "cairn": lambda: timed([CAIRN, "ckpt", "average", run, "--last", "3", "-o", out, "--store", store]),
            "cairn --no-sync": lambda: timed([CAIRN, "ckpt", "average", run, "--last", "3", "-o", out, "--no-sync", "--store", store]),
            "python": lambda: float(subprocess.run([PYTHON, "-c", PEER, peer_out, *inputs], check=True, capture_output=True, text=True).stdout),
        }
        for path in inputs: subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
        warm = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, go in runs.items(): warm[name].append(go())
        cold = {name: [] for name in [*runs, "cat"]}
        for _ in range(args.rounds):
            for name, go in [*runs.items(), ("cat", lambda: timed(["cat", *inputs]))]:
                for path in inputs: drop(path)
                cold[name].append(go())
        # The same result (Cairn sums in float64, numpy in float32: equal to within a float32 ulp).
        check = subprocess.run([PYTHON, "-c", "import sys, numpy as np\nfrom safetensors.numpy import load_file\n"
                                "a, b = load_file(sys.argv[1]), load_file(sys.argv[2])\n"
                                "print(max(float(np.max(np.abs(a[k].astype(np.float64) - b[k]))) for k in a), sorted(a) == sorted(b))",
                                out, peer_out], check=True, capture_output=True, text=True).stdout.strip()
        print(f"inputs: 3 × {size // 3:,} bytes; Cairn vs Python: largest difference, same keys: {check}")
        print("| measure | Cairn (synced) | Cairn --no-sync | Python numpy + safetensors | `cat` of the inputs |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, results in (("warm", warm), ("cold", cold)):
            cells = []
            for name in ("cairn", "cairn --no-sync", "python", "cat"):
                if name not in results:
                    cells.append("")
                    continue
                seconds = statistics.median(results[name])
                cells.append(f"{seconds:.2f} s ({size / seconds / 1e9:.2f} GB/s)")
            print(f"| {label}, median of {args.rounds} | " + " | ".join(cells) + " |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

if __name__ == "__main__":
    main()
