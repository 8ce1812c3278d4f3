#!/usr/bin/env bash
# Fuzzes one of Cairn's file parsers with libFuzzer (swiftc -sanitize=fuzzer, with AddressSanitizer).
# Usage: bash fuzz/run.sh npy|safetensors|torch [SECONDS]     (default 600 s; not part of CI)
# The corpus starts from the files the real tools wrote (../shared/fixtures/interop) and grows in
# .build/fuzz/corpus-PARSER; crashes are written to .build/fuzz/ as crash-*, each a file to reproduce with
#   .build/fuzz/PARSER .build/fuzz/crash-…
set -euo pipefail
parser="${1:?usage: fuzz/run.sh npy|safetensors|torch [SECONDS]}"
seconds="${2:-600}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build/fuzz"
mkdir -p "$out/core" "$out/corpus-$parser"
core=("$root"/Sources/CairnCore/Errors/*.swift)
case "$parser" in
    npy) sources=("$root"/Sources/CairnFormats/Tensors/*.swift "$root/fuzz/NpyFuzz.swift"); seeds="$root/../shared/fixtures/interop/npy" ;;
    safetensors)
        # The header is JSON, read by CairnFormats' JSON reader into CairnCore's config values.
        core+=("$root"/Sources/CairnCore/Config/*.swift $(find "$root/Sources/CairnCore/Names" -name '*.swift'))
        sources=("$root"/Sources/CairnFormats/Tensors/*.swift "$root"/Sources/CairnFormats/Safetensors/*.swift
                 "$root/Sources/CairnFormats/Config/ConfigJSON.swift" "$root/fuzz/SafetensorsFuzz.swift")
        seeds="$root/../shared/fixtures/interop/safetensors" ;;
    torch)
        sources=("$root"/Sources/CairnFormats/Tensors/*.swift "$root"/Sources/CairnFormats/Torch/*.swift
                 "$root"/Sources/CairnFormats/Checksums/*.swift "$root/fuzz/TorchFuzz.swift")
        seeds="$root/../shared/fixtures/interop/torch" ;;
    *) echo "fuzz/run.sh: unknown parser '$parser' (known: npy, safetensors, torch)" >&2; exit 2 ;;
esac
flags=(-sanitize=fuzzer,address -parse-as-library -O -wmo -g -swift-version 6 -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility)
# The part of CairnCore the parser uses (its errors; config values for JSON) as a module named CairnCore, then the parser's files
# and its entry point.
swiftc "${flags[@]}" -module-name CairnCore -emit-module -emit-module-path "$out/core/CairnCore.swiftmodule" \
    -emit-library -static -o "$out/core/libCairnCore.a" "${core[@]}"
# (run in $out: swiftc leaves the executable's module files in the current folder)
(cd "$out" && swiftc "${flags[@]}" -module-name CairnFuzz -I "$out/core" -L "$out/core" -lCairnCore "${sources[@]}" -o "$out/$parser")
cp -n "$seeds"/* "$out/corpus-$parser/" 2>/dev/null || true
cd "$out"
"./$parser" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "corpus-$parser"
