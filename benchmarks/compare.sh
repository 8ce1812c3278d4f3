#!/usr/bin/env bash
# Runs every benchmark of docs/BENCHMARKS.md at an older commit and at this checkout, one after the
# other on the same machine, ROUNDS times each (old, new, old, new, …), so that a change can be judged
# by whether any new median is above the old maximum.
#
#   bash benchmarks/compare.sh OLD_REV [ROUNDS]     (default 3 rounds; writes bench-out/compare-*/)
#   CAIRN_COMPARE_ONLY="metrics adopt" bash benchmarks/compare.sh OLD_REV   (only those benchmarks)
#
# Names: latest checkpoint manifest adopt metrics. CAIRN_COMPARE_METRICS_ARGS="--points 1000000" passes
# options to metrics.py on both sides. `python3 benchmarks/compare_table.py DIR` prints the
# medians side by side from a finished comparison's DIR.
#
# The older commit is checked out in a temporary worktree and built there in release mode (the first
# round pays the builds; each benchmark script builds what it needs). The peers' venv
# (benchmarks/.venv-bench) is shared. Takes about an hour for three rounds on 2 cores; keep the
# machine otherwise idle.
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev=${1:?usage: bash benchmarks/compare.sh OLD_REV [ROUNDS]}
rounds=${2:-3}
new_root=$PWD
out=$new_root/bench-out/compare-$(date -u +%Y%m%d-%H%M%S)
old_root=${CAIRN_COMPARE_OLD:-$new_root/bench-out/old-$(git rev-parse --short "$old_rev")}
mkdir -p "$out"
if [ ! -d "$old_root" ]; then
  git worktree add --detach "$old_root" "$old_rev" >/dev/null
fi
[ -e "$old_root/benchmarks/.venv-bench" ] || ln -s "$new_root/benchmarks/.venv-bench" "$old_root/benchmarks/.venv-bench"
echo "old: $old_rev ($old_root)  new: $(git rev-parse --short HEAD) ($new_root)  rounds: $rounds  output: $out"

only=" ${CAIRN_COMPARE_ONLY:-latest checkpoint manifest adopt metrics} "

run() {  # run NAME SIDE ROOT ROUND COMMAND...
  local name=$1 side=$2 root=$3 round=$4; shift 4
  case "$only" in *" $name "*) ;; *) return 0 ;; esac
  local log="$out/$name-$side-$round.txt"
  echo "== $name $side round $round"
  (cd "$root" && "$@") >"$log" 2>&1 || { echo "failed: see $log"; return 1; }
}

manifest() {
  swift build -c release --product cairn-bench-manifest >/dev/null && .build/release/cairn-bench-manifest 200000
}

for round in $(seq 1 "$rounds"); do
  for side in old new; do
    root=$([ "$side" = old ] && echo "$old_root" || echo "$new_root")
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    run latest "$side" "$root" "$round" python3 benchmarks/latest.py
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    run checkpoint "$side" "$root" "$round" python3 benchmarks/checkpoint.py
    run manifest "$side" "$root" "$round" manifest
    run adopt "$side" "$root" "$round" python3 benchmarks/adopt.py
    run metrics "$side" "$root" "$round" python3 benchmarks/metrics.py ${CAIRN_COMPARE_METRICS_ARGS:-}
  done
done
echo "done: $out"
