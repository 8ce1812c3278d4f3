#!/usr/bin/env python3
"""Benchmark: registering a checkpoint with `cairn ckpt save`, beside the shell tools.

Run from the package root:  python3 benchmarks/checkpoint.py [SIZE_MIB ...]   (default 512 1024)

Synced source (the file written and synced before each timing: warm page cache, nothing dirty):
- by move (rename + sha256 + fsync): compared with `openssl dgst -sha256` on the same file;
- by copy (copy + sha256 in one pass + fsync): compared with `cp --reflink=never`, then
  `openssl dgst -sha256`, then `sync` of the copy.
Fresh (dirty) source, the normal case of a training script that has just written its checkpoint: the
file is written anew, not synced, right before each timing, and
- by move is compared with the larger of `openssl dgst -sha256` on a fresh dirty file and `sync FILE`
  (an fsync) of a fresh dirty file, each written the same way right before it is timed.
Each timing is the median of REPEAT runs. Prints a Markdown table per size.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPEAT = 5


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd):
    start = time.perf_counter()
    run(cmd, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def write_fresh(path, size_mib, chunk):
    """Writes the file anew and leaves it dirty in the page cache (no fsync)."""
    with open(path, "wb") as f:
        for _ in range(size_mib // 16):
            f.write(chunk)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [512, 1024]
    run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "cairn"], cwd=ROOT, stdout=subprocess.DEVNULL)
    bin_path = run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--show-bin-path"], cwd=ROOT,
                   capture_output=True, text=True).stdout.strip()
    cairn = os.path.join(bin_path, "cairn")
    for size_mib in sizes:
        bench(cairn, size_mib)


def bench(cairn, size_mib):
    work = tempfile.mkdtemp(prefix="cairn-bench-ckpt-", dir=os.environ.get("BENCH_DIR", "/var/tmp"))
    try:
        store = os.path.join(work, "store")
        run([cairn, "init", store], stdout=subprocess.DEVNULL)

        def new_run():
            """A fresh run per timing, so no save also prunes (deleting a 1 GiB file is not registering)."""
            out = run([cairn, "run", "new", "-e", "bench/ckpt", "--no-git", "--store", store, "--json"],
                      capture_output=True, text=True).stdout
            return out.split('"id" : "')[1].split('"')[0], out.split('"folder" : "')[1].split('"')[0]

        previous = None

        def fresh():
            nonlocal previous
            if previous:
                shutil.rmtree(previous, ignore_errors=True)
            run_id, folder = new_run()
            previous = folder
            run(["sync"])
            return run_id
        source = os.path.join(work, "source.bin")
        chunk = os.urandom(16 << 20)
        write_fresh(source, size_mib, chunk)
        run(["sync"])
        rows = {"openssl": [], "move": [], "peer_copy": [], "copy": [],
                "fresh_openssl": [], "fresh_fsync": [], "fresh_move": []}
        epoch = 0
        for _ in range(REPEAT):
            rows["openssl"].append(timed(["openssl", "dgst", "-sha256", source]))
            epoch += 1
            staged = os.path.join(work, f"staged-{epoch}.pt")
            run(["cp", "--reflink=never", source, staged])
            run_id = fresh()
            rows["move"].append(timed([cairn, "ckpt", "save", run_id, staged, "--epoch", str(epoch), "--step", str(epoch),
                                       "--move", "--store", store]))
            dst = os.path.join(work, f"peer-{epoch}.bin")
            fresh()
            rows["peer_copy"].append(timed(["sh", "-c", f"cp --reflink=never '{source}' '{dst}' && openssl dgst -sha256 '{dst}' >/dev/null && sync '{dst}'"]))
            os.remove(dst)
            epoch += 1
            run_id = fresh()
            rows["copy"].append(timed([cairn, "ckpt", "save", run_id, source, "--epoch", str(epoch), "--step", str(epoch),
                                       "--copy", "--store", store]))
            # Fresh (dirty) sources: written right before each timing, nothing synced since.
            dirty = os.path.join(work, f"dirty-{epoch}.bin")
            fresh()
            write_fresh(dirty, size_mib, chunk)
            rows["fresh_openssl"].append(timed(["openssl", "dgst", "-sha256", dirty]))
            os.remove(dirty)
            fresh()
            write_fresh(dirty, size_mib, chunk)
            rows["fresh_fsync"].append(timed(["sync", dirty]))
            os.remove(dirty)
            epoch += 1
            run_id = fresh()
            staged = os.path.join(work, f"fresh-{epoch}.pt")
            write_fresh(staged, size_mib, chunk)
            rows["fresh_move"].append(timed([cairn, "ckpt", "save", run_id, staged, "--epoch", str(epoch),
                                             "--move", "--store", store]))
        med = {k: statistics.median(v) for k, v in rows.items()}
        gib = size_mib / 1024
        peer_fresh = max(med["fresh_openssl"], med["fresh_fsync"])
        print(f"\n| {size_mib} MiB checkpoint | Cairn (s) | peer (s) | Cairn / peer | target |")
        print("|---|---:|---:|---:|---:|")
        print(f"| register by move (rename + sha256 + fsync), synced source, vs `openssl dgst -sha256` | {med['move']:.3f} | {med['openssl']:.3f} "
              f"| {med['move'] / med['openssl']:.2f}× | ≤ 1.10× |")
        print(f"| register by copy (one pass: copy + sha256, fsync) vs `cp` + `openssl dgst` + `sync` | {med['copy']:.3f} | {med['peer_copy']:.3f} "
              f"| {med['copy'] / med['peer_copy']:.2f}× | ≤ 0.90× |")
        print(f"| register by move, fresh (dirty) source, vs max(`openssl dgst -sha256` {med['fresh_openssl']:.3f}, "
              f"`sync FILE` {med['fresh_fsync']:.3f}) on fresh files | {med['fresh_move']:.3f} | {peer_fresh:.3f} "
              f"| {med['fresh_move'] / peer_fresh:.2f}× | ≤ 1.10× |")
        print(f"\nsha256 throughput: openssl {gib / med['openssl']:.2f} GiB/s; Cairn move {gib / med['move']:.2f} GiB/s; "
              f"fresh: openssl + fsync one after the other would take {med['fresh_openssl'] + med['fresh_fsync']:.3f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
