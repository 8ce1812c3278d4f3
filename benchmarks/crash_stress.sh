#!/usr/bin/env bash
# Stress: kill a checkpoint-saving process with SIGKILL at random moments, N times (default 2000),
# and check after each kill that the run's checkpoints are intact: `cairn ckpt verify` (which recovers
# the run first) re-hashes every kept checkpoint; best, last and latest resolve to kept checkpoints;
# no temporary file remains. Run from the package root:  bash benchmarks/crash_stress.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
swift build -c release --product cairn >/dev/null
swift build -c release --product cairn-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d /tmp/cairn-crash-stress-XXXX)
trap 'rm -rf "$work"' EXIT
"$bin/cairn" init "$work/store" >/dev/null
run=$("$bin/cairn" run new -e stress/kill --no-git --store "$work/store" --json | python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])')
fails=0
for i in $(seq 1 "$n"); do
  "$bin/cairn-bench" save-loop "$work/store" "$run" 300000 3 >/dev/null 2>&1 &
  pid=$!
  sleep "0.0$(( RANDOM % 90 + 10 ))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ! "$bin/cairn" ckpt verify "$run" --store "$work/store" >/dev/null; then
    echo "kill $i: verify failed"; fails=$((fails + 1)); continue
  fi
  for p in best last; do
    target=$(readlink -f "$("$bin/cairn" ckpt path "$run" "$p" --store "$work/store" 2>/dev/null)" || true)
    if [ -z "$target" ] || [ ! -f "$target" ]; then echo "kill $i: $p does not resolve"; fails=$((fails + 1)); fi
  done
  if find "$work/store" -name '.cairn-tmp-*' | grep -q .; then echo "kill $i: temporary files left"; fails=$((fails + 1)); fi
  if (( i % 100 == 0 )); then echo "$i kills, $fails failures"; fi
done
saves=$(grep -c '"event":"commit"' "$work/store/stress/kill/$run/checkpoints.jsonl" || true)
echo "done: $n kills, $saves saves committed, $fails failures"
[ "$fails" -eq 0 ]
