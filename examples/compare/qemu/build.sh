#!/usr/bin/env bash
# Builds the multiboot kernel that runs one flat workload binary under qemu-system-x86_64.
#   qemu/build.sh <workload.bin> <long|prot> <runs> <out.elf>
# Needs nasm only (boot.asm writes its own ELF32 header). compare.sh calls this at run time; the
# kernels are build products and are never committed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -ne 4 ]; then
    echo "usage: $0 <workload.bin> <long|prot> <runs> <out.elf>" >&2
    exit 2
fi
payload="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
case "$2" in
    long) mode=(-DLONG_MODE) ;;
    prot) mode=() ;;
    *) echo "$0: mode must be long or prot, was $2" >&2; exit 2 ;;
esac
[[ "$3" =~ ^[1-9][0-9]*$ ]] || { echo "$0: runs must be a positive number, was $3" >&2; exit 2; }
command -v nasm >/dev/null 2>&1 || { echo "$0: nasm not found" >&2; exit 1; }
nasm -f bin -DPAYLOAD="\"$payload\"" -DREPS="$3" "${mode[@]}" "$here/boot.asm" -o "$4"
