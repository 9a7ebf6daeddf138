#!/usr/bin/env bash
# Builds the multiboot kernel that runs one flat workload binary under qemu-system-x86_64.
#   qemu/build.sh <workload.bin> <long|prot> <runs> <out.elf>
# Needs nasm (boot.asm writes its own ELF32 header) and GNU grep (-P, to find the crt's HLT). compare.sh calls this at run time; the
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
# The crt's last instructions are a store of EAX to 0x500 (absolute disp32 00 05 00 00 in both
# the 32- and the 64-bit encoding) and HLT (F4): the stub replaces that HLT with INT3.
match="$(head -c 4096 "$payload" | LC_ALL=C grep -obUaP '\x00\x05\x00\x00\xf4' | head -1 | cut -d: -f1)"
[ -n "$match" ] || { echo "$0: no 'store to 0x500; hlt' in the first 4 KiB of $payload" >&2; exit 1; }
hlt=$(( match + 4 ))
nasm -f bin -DPAYLOAD="\"$payload\"" -DHLT_OFFSET="$hlt" -DREPS="$3" "${mode[@]}" "$here/boot.asm" -o "$4"
