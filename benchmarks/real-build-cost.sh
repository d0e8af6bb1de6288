#!/usr/bin/env bash
# What the generator adds to a real build, as a package consumer's `dotnet build` runs it: the SDK's own csc
# (ReadyToRun, the SDK's default analyzers on), the Csc task timed by MSBuild. Three projects with the same N
# declarations (GeneratorCost --write-projects): with the generator, without it, and without it plus N hand-written
# TorchSharp modules of the same kind of nets — the yardstick for what compiling a module costs in this build at all.
#
# Usage: benchmarks/real-build-cost.sh [N=1000] [DIR=a new temp dir] [RUNS=3] [MODE=fresh|server]
#   fresh  (default) a new csc process per build, as CI runs it (UseSharedCompilation=false): the compiler's own
#          code starts cold every build.
#   server the SDK's default for a developer's machine (UseSharedCompilation=true): builds go to the long-running
#          compiler server (VBCSCompiler), warmed by one untimed build of each project first.
set -euo pipefail
n=${1:-1000}; dir=${2:-$(mktemp -d)}; runs=${3:-3}; mode=${4:-fresh}
case "$mode" in fresh) shared=false ;; server) shared=true ;; *) echo "MODE must be fresh or server, not '$mode'" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
dotnet run -c Release --project "$repo/benchmarks/ModelDsl.Benchmarks" -- quick generator-cost --models "$n" --write-projects "$dir" --repo "$repo"
projects=(with without hand)
for p in "${projects[@]}"; do
  dotnet build -c Release -p:UseSharedCompilation=$shared "$dir/$p" > "$dir/$p.first.log" || { cat "$dir/$p.first.log"; exit 1; }
done
csc_ms() { # one rebuild of the project's compile step; prints the Csc task's milliseconds
  touch "$1/Models.cs"
  dotnet build -c Release --no-restore --no-dependencies -p:UseSharedCompilation=$shared -clp:PerformanceSummary "$1" | awk '/ ms +Csc +[0-9]+ calls/ {print $1; exit}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
declare -A times medians
# Interleaved (with, without, hand, with, …) so that a drift in the machine's speed hits all three alike.
for ((i = 0; i < runs; i++)); do for p in "${projects[@]}"; do times[$p]+="$(csc_ms "$dir/$p") "; done; done
for p in "${projects[@]}"; do medians[$p]=$(printf '%s\n' ${times[$p]} | median); echo "csc, $p: ${times[$p]}ms (median ${medians[$p]})"; done
modules=$(grep -c ' : Module<Tensor, Tensor>$' "$dir/hand/HandWritten.cs" || true)
awk -v w="${medians[with]}" -v wo="${medians[without]}" -v h="${medians[hand]}" -v n="$n" -v m="$modules" -v mode="$mode" 'BEGIN {
  printf "mode %s: generator + generated code add %.2f ms per model (%d models); hand-written TorchSharp modules cost %.2f ms each (%d modules)\n", mode, (w - wo) / n, n, (h - wo) / m, m }'
