#!/usr/bin/env bash
# What the generator adds to a real build, as a package consumer's `dotnet build` runs it: the SDK's own csc
# (ReadyToRun, a fresh process per build as CI runs it, the SDK's default analyzers on), the Csc task timed by
# MSBuild. Two projects with the same N declarations (GeneratorCost --write-projects): with the generator and
# without it. Usage: benchmarks/real-build-cost.sh [N=1000] [DIR=a new temp dir] [RUNS=3]
set -euo pipefail
n=${1:-1000}; dir=${2:-$(mktemp -d)}; runs=${3:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
dotnet run -c Release --project "$repo/benchmarks/ModelDsl.Benchmarks" -- quick generator-cost --models "$n" --write-projects "$dir"
for p in with without; do dotnet build -c Release "$dir/$p" > "$dir/$p.first.log" || { cat "$dir/$p.first.log"; exit 1; }; done
csc_ms() { # one rebuild of the project's compile step; prints the Csc task's milliseconds
  touch "$1/Models.cs"
  dotnet build -c Release --no-restore --no-dependencies -clp:PerformanceSummary "$1" | awk '/ ms +Csc +[0-9]+ calls/ {print $1; exit}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
with=(); without=()
for ((i = 0; i < runs; i++)); do with+=("$(csc_ms "$dir/with")"); without+=("$(csc_ms "$dir/without")"); done
w=$(printf '%s\n' "${with[@]}" | median); wo=$(printf '%s\n' "${without[@]}" | median)
echo "csc with the generator: ${with[*]} ms (median $w); without: ${without[*]} ms (median $wo)"
awk -v w="$w" -v wo="$wo" -v n="$n" 'BEGIN {printf "added per model: %.2f ms (%d models)\n", (w - wo) / n, n}'
