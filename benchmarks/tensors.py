#!/usr/bin/env python3
"""Reading a 1 GiB safetensors file, every tensor touched (a CRC-32C of each), side by side in one run:

  Cairn      SafetensorsFile: mmap, the header checked as the reference checks it, each tensor's bytes
             checksummed in place (cairn-bench-tensors mapped)
  read(2)    the whole file read into memory, the same header parse and the same checksums: the floor
             for a reader that must see every byte (cairn-bench-tensors read)
  Python     safetensors.numpy.load_file, then a sum of each array (what a script does to load weights)

Warm page cache: medians of --rounds interleaved rounds. Cold: the file's pages dropped before each run
(posix_fadvise DONTNEED, which needs no privileges), Cairn beside `cat FILE > /dev/null`.

Run from the package root:
    swift build -c release --product cairn-bench-tensors && python3 benchmarks/tensors.py [--mib 1024] [--rounds 5]
Python's side uses .venv (scripts/test makes it: numpy, safetensors).
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build", "release", "cairn-bench-tensors")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
LOAD = "import sys, time\nfrom safetensors.numpy import load_file\nt = time.perf_counter()\nd = load_file(sys.argv[1])\ns = [float(a.sum()) for a in d.values()]\nprint(time.perf_counter() - t)\n"

def drop(path):
    fd = os.open(path, os.O_RDONLY)
    os.fsync(fd)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)

def bench(mode, path):
    out = subprocess.run([BENCH, mode, path], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), out[1]

def python(path):
    return float(subprocess.run([PYTHON, "-c", LOAD, path], check=True, capture_output=True, text=True).stdout)

def cat(path):
    start = time.perf_counter()
    subprocess.run(["sh", "-c", 'cat "$1" > /dev/null', "sh", path], check=True)
    return time.perf_counter() - start

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(BENCH):
        sys.exit("build it first: swift build -c release --product cairn-bench-tensors")
    folder = tempfile.mkdtemp(prefix="cairn-bench-tensors-", dir=os.path.join(ROOT, ".build"))
    path = os.path.join(folder, "model.safetensors")
    print(subprocess.run([BENCH, "write", path, str(args.mib)], check=True, capture_output=True, text=True).stdout.strip())
    cat(path)
    warm = {"cairn": [], "read": [], "python": []}
    checks = set()
    for _ in range(args.rounds):
        seconds, check = bench("mapped", path); warm["cairn"].append(seconds); checks.add(check)
        seconds, check = bench("read", path); warm["read"].append(seconds); checks.add(check)
        warm["python"].append(python(path))
    cold = {"cairn": [], "cat": []}
    for _ in range(3):
        drop(path); cold["cairn"].append(bench("mapped", path)[0])
        drop(path); cold["cat"].append(cat(path))
    med = {k: statistics.median(v) for k, v in warm.items()}
    cmed = {k: statistics.median(v) for k, v in cold.items()}
    gib = os.path.getsize(path) / 2**30
    print(f"file: {os.path.getsize(path):,} bytes; checksums agree: {len(checks) == 1}")
    print(f"| measure | Cairn (mmap) | read(2) + CRC | Python load_file + sum | Cairn / read(2) | Python / Cairn |")
    print(f"| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| warm, median of {args.rounds} | {med['cairn']:.3f} s ({gib / med['cairn']:.2f} GiB/s) | {med['read']:.3f} s | {med['python']:.3f} s | "
          f"{med['cairn'] / med['read']:.2f}× (target ≤ 1.3×) | {med['python'] / med['cairn']:.2f}× (target > 1×) |")
    print(f"| cold, median of 3 | {cmed['cairn']:.3f} s | `cat FILE > /dev/null` {cmed['cat']:.3f} s | | {cmed['cairn'] / cmed['cat']:.2f}× of cat | |")
    os.remove(path)
    os.rmdir(folder)

if __name__ == "__main__":
    main()
