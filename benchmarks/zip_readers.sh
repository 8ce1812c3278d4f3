#!/usr/bin/env bash
# Cairn's own zip reader against ZIPFoundation, on a PyTorch checkpoint of MIB MiB (default 1024) of
# float32 tensors written by Cairn's TorchCheckpointWriter: the time to open the archive and list its
# storages, and the time to also read every storage's bytes (folded into a 64-bit XOR, equal for both),
# warm cache (median of 5) and cold (page cache dropped; needs root).
# Usage: bash benchmarks/zip_readers.sh [MIB]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mib="${1:-1024}"
cd "$root"
swift build -c release --product cairn-bench-tensors >/dev/null
(cd benchmarks/zip-readers && swift build -c release >/dev/null)
cairn="$root/.build/release/cairn-bench-tensors"
zipf="$root/benchmarks/zip-readers/.build/release/zipfoundation-read"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$cairn" torch-write "$work/model.pt" "$mib" >/dev/null
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # run NAME COMMAND…: 5 warm runs → medians of open+list and total; then one cold run
    local name="$1"; shift
    "$@" >/dev/null
    local out; out="$(for _ in 1 2 3 4 5; do "$@"; done)"
    local list total fold
    list="$(echo "$out" | awk '{print $1}' | median)"; total="$(echo "$out" | awk '{print $2}' | median)"
    fold="$(echo "$out" | awk 'NR==1 {print $3}')"
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    local cold; cold="$("$@" | awk '{print $2}')"
    echo "$name $list $total $cold $fold"
}
c="$(run cairn "$cairn" torch-mapped "$work/model.pt")"
z="$(run zipfoundation "$zipf" "$work/model.pt")"
python3 - "$c" "$z" "$mib" <<'PY'
import sys
c, z, mib = sys.argv[1].split(), sys.argv[2].split(), int(sys.argv[3])
assert c[4] == z[4], f"the folds differ: {c[4]} vs {z[4]}"
print(f"PyTorch checkpoint, {mib} MiB of float32 storages")
print(f"{'':24}{'open + list':>14}{'read all, warm':>16}{'read all, cold':>16}")
for name, row in (("Cairn (ZipArchive, mmap)", c), ("ZIPFoundation 0.9.20", z)):
    print(f"{name:24}{float(row[1])*1e3:>11.2f} ms{float(row[2]):>14.3f} s{float(row[3]):>14.3f} s")
print(f"{'ZIPFoundation / Cairn':24}{float(z[1])/float(c[1]):>13.1f}×{float(z[2])/float(c[2]):>15.1f}×{float(z[3])/float(c[3]):>15.1f}×")
PY
