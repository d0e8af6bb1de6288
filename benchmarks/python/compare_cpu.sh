#!/usr/bin/env bash
# End-to-end CPU comparison, interleaved: each round runs ModelDsl's `quick train-epoch` and PyTorch's
# train_epoch.py (DataLoader + torchvision transforms, and tensor-resident data) back to back for one model,
# so that all three see the same background load on a shared machine. Ratios belong to a round, never across.
#   bash benchmarks/python/compare_cpu.sh [rounds=3] [models="small cifar"]
# Needs Debian's python3-torch and python3-torchvision (apt-get install python3-torch python3-torchvision).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
models=${2:-small cifar}
py=/usr/bin/python3
dotnet build benchmarks/ModelDsl.Benchmarks -c Release -v q -nologo >/dev/null
for model in $models; do
  for r in $(seq 1 "$rounds"); do
    echo "== $model, round $r ($(date -u +%H:%M:%S) UTC)"
    dotnet run -c Release --project benchmarks/ModelDsl.Benchmarks --no-build -- quick train-epoch --model "$model" | grep -E "img/s"
    for v in loader tensor; do
      echo "PyTorch $v: $($py benchmarks/python/train_epoch.py --model "$model" --variant "$v" | tail -1)"
    done
  done
done
