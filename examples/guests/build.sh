#!/usr/bin/env bash
# Rebuilds every demo guest: <name>.asm here -> ../src/main/resources/guests/<name>.bin
# Flat binaries (nasm -f bin); each source sets its own 'bits' and 'org' (= load address).
# The output is reproducible: -f bin writes no timestamps, so rebuilding gives identical bytes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../src/main/resources/guests"

if ! command -v nasm >/dev/null 2>&1; then
    echo "build.sh: nasm not found on PATH; install it (e.g. 'apt-get install nasm') and rerun." >&2
    exit 1
fi

mkdir -p "$out"
shopt -s nullglob
sources=("$here"/*.asm)
if [ "${#sources[@]}" -eq 0 ]; then
    echo "build.sh: no .asm sources in $here" >&2
    exit 1
fi

for src in "${sources[@]}"; do
    name="$(basename "$src" .asm)"
    # -w+error: a warning (e.g. a truncated constant) is a bug in a guest this small.
    nasm -f bin -w+error -o "$out/$name.bin" "$src"
    printf '%-20s %5d bytes\n' "$name.bin" "$(wc -c < "$out/$name.bin")"
done
