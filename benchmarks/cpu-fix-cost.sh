#!/usr/bin/env bash
# The cost of each CPU-convolution fix (docs/TRAINING.md "Right numbers on every CPU", DESIGN §11) on the CPU
# training benchmarks, fp32: CifarCnn, SmallNet, DigitSegNet. Every (round, fix, model) is its own process, since
# oneDNN reads its instruction-set cap once per process; the fixes are interleaved within each round so that a
# machine that slows down mid-run slows all of them alike.
#
#   bash benchmarks/cpu-fix-cost.sh [ROUNDS] [FIXES]     defaults: 3 rounds, "off onednn-off avx2"
#
# off = libtorch as shipped (oneDNN at the CPU's full instruction set: on an AVX-512 CPU that is the faulty path),
# onednn-off = what Auto does where the check fails, avx2 = oneDNN capped at AVX2. Prints one line per run and a
# median per (model, fix) with its ratio to "off".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}; fixes=${2:-off onednn-off avx2}
dotnet build "$root/benchmarks/ModelDsl.Benchmarks" -c Release -v q -nologo >/dev/null
app="$root/benchmarks/ModelDsl.Benchmarks/bin/Release/net10.0/ModelDsl.Benchmarks.dll"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
results=$(mktemp)
for r in $(seq 1 "$rounds"); do
  for model in CifarCnn SmallNet DigitSegNet; do
    for fix in $fixes; do
      line=$(MODELDSL_CPU_CONV_FIX=$fix dotnet "$app" quick train-epoch --model "$model" --optimizer torch 2>&1 | grep -E "^$model " || true)
      ips=$(sed -n 's/.*median *\([0-9]*\) img\/s.*/\1/p' <<<"$line")
      echo "round $r  $model  $fix  ${ips:-FAILED} img/s"
      echo "$model $fix ${ips:-0}" >>"$results"
    done
  done
done
echo
printf '%-12s %-11s %10s %8s\n' model fix "img/s" "vs off"
for model in CifarCnn SmallNet DigitSegNet; do
  base=
  for fix in $fixes; do
    med=$(awk -v m="$model" -v f="$fix" '$1==m && $2==f {print $3}' "$results" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
    [ -z "$base" ] && base=$med
    printf '%-12s %-11s %10s %8s\n' "$model" "$fix" "$med" "$(awk -v a="$med" -v b="$base" 'BEGIN {printf "%.2f", (b>0 ? a/b : 0)}')"
  done
done
rm -f "$results"
