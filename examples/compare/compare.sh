#!/usr/bin/env bash
# Measures the benchmark workloads natively, under QEMU's user-mode emulator (qemu-x86_64 /
# qemu-i386), under qemu-system-x86_64 with the TCG software CPU, and under this engine
# (`haxm bench`), in one run, and prints each as a slowdown against native.
#
# Only ratios measured in one run mean anything: the machine's speed changes from run to run.
#
# usage: examples/compare/compare.sh [--quick] [--modes long,prot] [--build-dir DIR]
#                                     [--jar FILE] [--timeout SECONDS] [WORKLOAD...]
#   --quick      fewer repetitions everywhere (native 3, QEMU 1..2, engine `bench --quick`)
#   --modes      which builds to compare (default long,prot): long = 64-bit, prot = 32-bit
#   --build-dir  where native binaries and QEMU kernels go (default: a fresh temporary directory)
#   --jar        the engine (default examples/target/haxm.jar; build it with
#                `mvn -q -pl examples -am package -DskipTests`)
#   --timeout    limit for each QEMU process and each workload's engine run (default 900)
#   WORKLOAD...  names from the manifest (default: all)
#
# Needs: bash 5, gcc (native builds; -m32 builds also need gcc-multilib). Optional, each skipped
# with a message when missing: qemu-x86_64 and qemu-i386 (Debian: qemu-user), qemu-system-x86_64
# (qemu-system-x86) with nasm for the boot stub, java 17 and the jar. Installs nothing.
#
# What each column measures (each the fastest of its runs unless said otherwise):
#   native      the workload built with gcc for the host, timed inside the process (native_main.c)
#   qemu-user   the same native binary under qemu-x86_64/qemu-i386, timed inside the process
#   qemu-tcg    the guest binary (<name>-<mode>.bin, the one the engine runs) booted by
#               qemu/boot.asm, several runs per boot; the stub times each run with the guest TSC
#               (calibrated against the ACPI PM timer), so QEMU's start-up is excluded
#   engine      `haxm bench`: the median of its timed runs, after its warm-up runs
# Exit-heavy workloads (kind exit-*) need the engine's bench devices: QEMU-TCG cannot run them
# (skipped), native and qemu-user use the C stub devices, so their ratios compare unlike work and
# are left out of the geometric mean, which covers CPU workloads only.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
src="$root/examples/workloads/src"
bins="$root/examples/src/main/resources/workloads"
manifest="$bins/workloads.properties"
jar="$root/examples/target/haxm.jar"
quick=0
modes="long,prot"
build=""
limit=900
names=()

die() { echo "compare.sh: $*" >&2; exit 2; }
note() { echo "  note: $*"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --modes) [ $# -ge 2 ] || die "--modes needs a value"; modes="$2"; shift ;;
        --build-dir) [ $# -ge 2 ] || die "--build-dir needs a value"; build="$2"; shift ;;
        --jar) [ $# -ge 2 ] || die "--jar needs a value"; jar="$2"; shift ;;
        --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; limit="$2"; shift ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) names+=("$1") ;;
    esac
    shift
done
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "needs bash 5 (for \$EPOCHREALTIME)"
[ -f "$manifest" ] || die "no workload manifest at $manifest"

if [ "$quick" = 1 ]; then native_reps=3; user_reps=1; tcg_runs=2; bench_reps=(--quick)
else native_reps=5; user_reps=3; tcg_runs=4; bench_reps=(); fi

if [ -z "$build" ]; then
    build="$(mktemp -d "${TMPDIR:-/tmp}/haxm-compare.XXXXXX")"
    trap 'rm -rf "$build"' EXIT
fi
mkdir -p "$build" || die "cannot create $build"

# ---- the manifest ------------------------------------------------------------------------------
prop() { sed -n "s/^$1=//p" "$manifest" | tr -d '[:space:]'; }
all_names="$(prop workloads)"
if [ "${#names[@]}" -eq 0 ]; then IFS=, read -r -a names <<< "$all_names"; fi
for n in "${names[@]}"; do
    [ -n "$(prop "$n.kind")" ] || die "unknown workload $n (manifest lists: $all_names)"
done
IFS=, read -r -a mode_list <<< "$modes"
for m in "${mode_list[@]}"; do [ "$m" = long ] || [ "$m" = prot ] || die "mode must be long or prot, was $m"; done

# ---- which tools are there ---------------------------------------------------------------------
have() { command -v "$1" >/dev/null 2>&1; }
echo "== tools"
have gcc || die "gcc not found: the native runs are the baseline of every ratio"
m32=1
if ! echo 'int main(void){return 0;}' | gcc -m32 -x c - -o "$build/m32-probe" >/dev/null 2>&1; then
    m32=0; note "gcc cannot build -m32 programs (Debian: gcc-multilib): prot rows skipped"
fi
have qemu-x86_64 || note "qemu-x86_64 not installed (Debian: qemu-user): qemu-user column skipped for long"
have qemu-i386 || note "qemu-i386 not installed (Debian: qemu-user): qemu-user column skipped for prot"
tcg=1
have qemu-system-x86_64 || { tcg=0; note "qemu-system-x86_64 not installed (Debian: qemu-system-x86): qemu-tcg column skipped"; }
have nasm || { tcg=0; note "nasm not installed: the qemu-tcg boot stub cannot be built, column skipped"; }
engine=1
have java || { engine=0; note "java not found: engine column skipped"; }
[ -f "$jar" ] || { engine=0; note "$jar missing (mvn -q -pl examples -am package -DskipTests): engine column skipped"; }
echo "  build dir: $build"

# ---- native and qemu-user ----------------------------------------------------------------------
# The code generation build.sh uses for the guests, so native runs the same C the same way.
common=(-std=c99 -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns
        -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none
        -mgeneral-regs-only)

# native_build NAME MODE -> path of the program, or empty
native_build() {
    local name="$1" mode="$2" arch out="$build/$1-$2"
    if [ "$mode" = long ]; then arch=(-m64); else arch=(-m32 -march=i686); fi
    gcc -std=c99 -O2 "${arch[@]}" -c -o "$out-main.o" "$src/native_main.c" >"$out.log" 2>&1 &&
        gcc "${common[@]}" "${arch[@]}" -DWL_NATIVE -I"$src" -c -o "$out.o" "$src/$name.c" >>"$out.log" 2>&1 &&
        gcc "${arch[@]}" -o "$out" "$out-main.o" "$out.o" >>"$out.log" 2>&1 && echo "$out"
}

# parse "checksum 0x...\nseconds S" from a program's output file into $sum and $secs
parse_native() {
    sum="$(sed -n 's/^checksum //p' "$1")"
    secs="$(sed -n 's/^seconds //p' "$1")"
    [ -n "$sum" ] && [ -n "$secs" ]
}

# ---- qemu-system-x86_64 (TCG) ------------------------------------------------------------------
# tcg_run NAME MODE -> sets $sum and $secs (the fastest run), or returns 1
tcg_run() {
    local name="$1" mode="$2" kernel="$build/$1-$2.kernel" out="$build/$1-$2.tcg"
    "$here/qemu/build.sh" "$bins/$name-$mode.bin" "$mode" "$tcg_runs" "$kernel" >"$out.log" 2>&1 || return 1
    # -no-reboot: a triple fault ends QEMU instead of looping; isa-debug-exit ends it normally.
    timeout "$limit" qemu-system-x86_64 -accel tcg -cpu max -m 64M -display none -nodefaults -no-reboot \
        -kernel "$kernel" -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 2>>"$out.log" |
        while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done >"$out"
    # The stub prints "F <tsc> <pm>" (TSC ticks during <pm> ticks of the 3.579545-MHz ACPI PM
    # timer), "S" before each run and "C <checksum> <tsc ticks of the run>" after it, all in hex.
    # Runs are timed by those guest TSC counts; only when the calibration found no timer (pm = 0)
    # by the host's timestamps of the S and C lines, which a loaded host may deliver late.
    local stamp tag a b tsc_hz=0 start="" t best="" n=0 checksums=""
    while read -r stamp tag a b; do
        case "$tag" in
            F) [ "$((16#$b))" -gt 0 ] && tsc_hz="$(awk -v t="$((16#$a))" -v p="$((16#$b))" 'BEGIN { printf "%.0f", t / (p / 3579545) }')" ;;
            S) start="$stamp" ;;
            C) [ -n "$start" ] || continue
               if [ "$tsc_hz" != 0 ] && [ -n "$b" ]; then t="$(awk -v t="$((16#$b))" -v hz="$tsc_hz" 'BEGIN { printf "%.6f", t / hz }')"
               else t="$(awk -v e="$stamp" -v s="$start" 'BEGIN { printf "%.6f", e - s }')"; fi
               if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best="$t"; fi
               n=$((n + 1)); start=""
               [[ " $checksums " == *" 0x$a "* ]] || checksums="${checksums:+$checksums }0x$a" ;;
        esac
    done <"$out"
    if [ "$n" -ne "$tcg_runs" ] || [[ "$checksums" == *" "* ]]; then
        echo "qemu-tcg $name-$mode: expected $tcg_runs runs with one checksum, got $n runs, checksums: $checksums" >>"$out.log"
        return 1
    fi
    [ "$tsc_hz" != 0 ] || echo "  note: qemu-tcg $name-$mode: no ACPI PM timer to calibrate the TSC; runs timed by the host"
    sum="$checksums"; secs="$best"
}

# ---- the engine --------------------------------------------------------------------------------
# One `haxm bench` per workload (both modes), run just before that workload's native and QEMU runs
# so that all of a row's figures come from the same few minutes of a noisy machine.
bench_mode=all
[ "${#mode_list[@]}" -eq 1 ] && bench_mode="${mode_list[0]}"
engine_json=""
# engine_bench NAME -> writes $build/NAME.engine.json, or notes why not
engine_bench() {
    engine_json="$build/$1.engine.json"
    rm -f "$engine_json"
    echo "  engine: java -jar $jar bench --json $engine_json --mode $bench_mode ${bench_reps[*]} $1"
    if ! timeout "$limit" java -jar "$jar" bench --json "$engine_json" --mode "$bench_mode" "${bench_reps[@]}" "$1" \
            >"$build/$1.engine.log" 2>&1; then
        note "haxm bench $1 failed; its last lines:"
        tail -5 "$build/$1.engine.log" | sed 's/^/    /'
    fi
}
# engine_result NAME MODE -> sets $sum and $secs from the bench JSON (one result object per line)
engine_result() {
    local line
    [ -f "$engine_json" ] || return 1
    line="$(grep -F "\"name\": \"$1\", \"mode\": \"$2\"" "$engine_json" | head -1)"
    [ -n "$line" ] || return 1
    sum="$(sed -n 's/.*"checksum": "\([^"]*\)".*/\1/p' <<< "$line")"
    secs="$(sed -n 's/.*"seconds": \([0-9.eE+-]*\).*/\1/p' <<< "$line")"
    [ -n "$sum" ] && [ -n "$secs" ]
}

# ---- measure -----------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
failures=0
rows=()
check() { # check WHAT NAME-MODE GOT EXPECTED -> 0 if equal
    if [ "$(printf '%s' "$3" | tr 'A-F' 'a-f')" = "$(printf '%s' "$4" | tr 'A-F' 'a-f')" ]; then return 0; fi
    echo "  CHECKSUM MISMATCH: $1 $2 gave $3, manifest says $4"; return 1
}

echo "== measuring (native reps $native_reps, qemu-user reps $user_reps, qemu-tcg runs per boot $tcg_runs)"
for name in "${names[@]}"; do
    kind="$(prop "$name.kind")"; expected="$(prop "$name.checksum")"; wmodes="$(prop "$name.modes")"
    [ "$engine" = 1 ] && engine_bench "$name"
    for mode in "${mode_list[@]}"; do
        [[ ",$wmodes," == *",$mode,"* ]] || continue
        row="$name $mode $kind $expected"
        if [ "$mode" = prot ] && [ "$m32" = 0 ]; then rows+=("$row - - - -"); continue; fi
        exe="$(native_build "$name" "$mode")"
        if [ -z "$exe" ]; then
            echo "  $name-$mode: native build failed:"; sed 's/^/    /' "$build/$name-$mode.log"
            failures=$((failures + 1)); rows+=("$row FAIL - - -"); continue
        fi
        native_s=-; engine_x=-; user_x=-; tcg_x=-
        if "$exe" "$native_reps" >"$exe.native" 2>&1 && parse_native "$exe.native" && check native "$name-$mode" "$sum" "$expected"; then
            native_s="$secs"
        else
            native_s=FAIL
        fi
        if [ "$native_s" != FAIL ]; then
            qemu_user=qemu-x86_64; [ "$mode" = prot ] && qemu_user=qemu-i386
            if have "$qemu_user"; then
                if timeout "$limit" "$qemu_user" "$exe" "$user_reps" >"$exe.user" 2>&1 && parse_native "$exe.user" &&
                        check qemu-user "$name-$mode" "$sum" "$expected"; then
                    user_x="$(ratio "$secs" "$native_s")"
                else user_x=FAIL; fi
            fi
            if [ "$tcg" = 1 ]; then
                if [ "$kind" != cpu ]; then
                    tcg_x=n/a
                elif tcg_run "$name" "$mode" && check qemu-tcg "$name-$mode" "$sum" "$expected"; then
                    tcg_x="$(ratio "$secs" "$native_s")"
                else
                    tcg_x=FAIL; echo "  qemu-tcg $name-$mode failed:"; sed 's/^/    /' "$build/$name-$mode.tcg.log" | tail -5
                fi
            fi
            if [ "$engine" = 1 ]; then
                if engine_result "$name" "$mode" && check engine "$name-$mode" "$sum" "$expected"; then
                    engine_x="$(ratio "$secs" "$native_s")"
                else engine_x=FAIL; fi
            fi
        fi
        for cell in "$native_s" "$engine_x" "$user_x" "$tcg_x"; do [ "$cell" = FAIL ] && failures=$((failures + 1)); done
        printf '  %-10s %-4s native %-9s engine %-8s qemu-user %-6s qemu-tcg %s\n' "$name" "$mode" "$native_s" "$engine_x" "$user_x" "$tcg_x"
        rows+=("$row $native_s $engine_x $user_x $tcg_x")
    done
done

# ---- the table ---------------------------------------------------------------------------------
echo
echo "== slowdown against native (x = times slower; native in seconds per workload() call)"
printf '%-10s %-4s %-9s %-10s %10s %9s %11s %10s\n' workload mode kind checksum "native s" "engine x" "qemu-user x" "qemu-tcg x"
for r in "${rows[@]}"; do
    read -r n m k c ns ex ux tx <<< "$r"
    printf '%-10s %-4s %-9s %-10s %10s %9s %11s %10s\n' "$n" "$m" "$k" "$c" "$ns" "$ex" "$ux" "$tx"
done
# Geometric mean per column over CPU workloads with a figure in every measured column of the row.
printf '%s\n' "${rows[@]}" | awk '
    $3 == "cpu" { for (i = 6; i <= 8; i++) if ($i ~ /^[0-9.]+$/ && $i > 0) { s[i] += log($i); c[i]++ } }
    END { printf "%-10s %-4s %-9s %-10s %10s", "geomean", "", "cpu", "", "";
          w[6] = 9; w[7] = 11; w[8] = 10
          for (i = 6; i <= 8; i++) printf " %*s", w[i], c[i] ? sprintf("%.1f", exp(s[i] / c[i])) : "-"; print "" }'
echo
echo "engine = haxm bench median of its timed runs; native, qemu-user, qemu-tcg = fastest run."
echo "qemu-tcg: each run timed inside the guest (TSC calibrated by the ACPI PM timer), QEMU start-up excluded;"
echo "'-' = not measured (tool missing), n/a = exit-heavy workload QEMU has no devices for."
if [ "$failures" -gt 0 ]; then
    echo "compare.sh: $failures FAIL cell(s) (checksum mismatch or build/run error)" >&2
    exit 1
fi
