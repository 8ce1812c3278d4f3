#!/usr/bin/env bash
# Stress: the migration kill test on many generated convention trees (CI runs it on 10). Each tree is
# adopted, `cairn migrate --to cairn` is killed (SIGKILL from outside at a random moment, or the process
# killing itself after a random move or before it records the tree), then resumed or rolled back; the
# tree must come back path for path and link for link, with no temporary left.
#   bash benchmarks/migration_kill_stress.sh [TREES]     (default 200; a debug build: fault points)
set -euo pipefail
cd "$(dirname "$0")/.."
trees=${1:-200}
swift build --build-tests >/dev/null
CAIRN_MIGRATION_KILL_TREES="$trees" swift test --skip-build --filter MigrationKillTests
