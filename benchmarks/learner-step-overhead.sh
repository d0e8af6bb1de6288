#!/usr/bin/env bash
# The Learner's step overhead before and after a change, interleaved (issue 25's ±3 %): the train-epoch quick benchmark of
# two builds of benchmarks/ModelDsl.Benchmarks, alternated round by round so drift in the machine's speed hits both alike.
#
#   benchmarks/learner-step-overhead.sh BEFORE_CLONE AFTER_CLONE [ROUNDS]
#
# Each clone must have run `dotnet build benchmarks/ModelDsl.Benchmarks -c Release`. Prints every run's median img/s and,
# per model, the median over rounds and the after/before ratio. Small batches (64) make the per-step overhead visible.
set -euo pipefail
before=$1; after=$2; rounds=${3:-3}
dll=benchmarks/ModelDsl.Benchmarks/bin/Release/net10.0/ModelDsl.Benchmarks.dll
declare -A runs
for ((r = 1; r <= rounds; r++)); do
  for model in small cifar; do
    if [ "$model" = small ]; then size=(--n 4096 --batch 64); else size=(--n 512 --batch 64); fi
    for side in before after; do
      dir=${!side}
      line=$(cd "$dir" && dotnet "$dll" quick train-epoch --model "$model" "${size[@]}" --epochs 4 --optimizer torch --threads 2 | grep -E "^(SmallNet|CifarCnn)" | head -1)
      ips=$(sed -E 's/.*median +([0-9]+) img\/s.*/\1/' <<< "$line")
      echo "round $r $model $side: $ips img/s   ($line)"
      runs[$model.$side]+="$ips "
    done
  done
done
for model in small cifar; do
  b=$(tr ' ' '\n' <<< "${runs[$model.before]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  a=$(tr ' ' '\n' <<< "${runs[$model.after]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$model: before $b img/s, after $a img/s, after/before $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", a / b}')"
done
