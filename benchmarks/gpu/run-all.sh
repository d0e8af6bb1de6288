#!/usr/bin/env bash
# The one prepared GPU run (issue: CUDA paths proven, mixed precision, training vs PyTorch eager), in one go,
# so that the scarce device time is spent measuring, not building. Rehearse it on the CPU first:
#
#   bash benchmarks/gpu/run-all.sh prepare          # here: publish the test project and the benchmarks into .gpu/
#   bash benchmarks/gpu/run-all.sh cpu quick        # here: the same steps on the CPU, tiny sizes (rehearsal)
#   run(command="bash benchmarks/gpu/run-all.sh cuda", carry=[".gpu"], timeout_s=540)   # on the GPU machine
#
# Steps: (1) the CUDA test classes of the runtime tests; (2) the main job with --device; (3) train-epoch for
# CifarCnn batch 128 and SmallNet batch 512 in fp32, bf16 and fp16, ModelDsl vs PyTorch eager (DataLoader +
# torchvision, and GPU-resident tensors), with MFU. Output goes to stdout and $OUT/gpu-run.txt when $OUT is set.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mode=${1:-cuda}; size=${2:-full}
if [ "$mode" = prepare ]; then
  set -e
  bash ../shared/gpu/prepare.sh tests/ModelDsl.Runtime.Tests/ModelDsl.Runtime.Tests.csproj
  mv .gpu/app .gpu/tests
  bash ../shared/gpu/prepare.sh benchmarks/ModelDsl.Benchmarks/ModelDsl.Benchmarks.csproj
  mv .gpu/app .gpu/bench
  bash ../shared/gpu/prepare.sh samples/MnistDigits/MnistDigits.csproj
  mv .gpu/app .gpu/mnist
  du -sh .gpu
  exit 0
fi
log=${OUT:+$OUT/gpu-run.txt}; log=${log:-/dev/null}
exec > >(tee "$log") 2>&1
if [ "$mode" = cuda ]; then
  # On the GPU machine: .gpu/run.sh's environment (carried .NET, PyTorch's CUDA libtorch), one app folder per step.
  app() { local dir=$1; shift; ln -sfn "$dir" "$root/.gpu/app"; bash "$root/.gpu/run.sh" "$@"; }
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  peak=(--peak-tflops 67); n_cifar=50000; n_small=50000; epochs=4
else
  app() { local dir=$1; shift; dotnet "$root/.gpu/$dir/$1" "${@:2}"; }
  peak=(); n_cifar=256; n_small=2048; epochs=2
  [ "$size" = quick ] || { n_cifar=1280; n_small=20000; epochs=3; }
fi
echo "== 1. the runtime tests ($mode): CUDA tests run instead of skipping"
app tests ModelDsl.Runtime.Tests.dll || echo "(tests: exit $?)"   # all of them: with CUDA visible, every CUDA branch runs
echo "== 2. main job --device $mode"
app mnist MnistDigits.dll --data "$root/data/mnist-10k" --device "$mode" --epochs 2 --out "${OUT:-/tmp}/mnist-$mode" || echo "(main job: exit $?)"
echo "== 3. train-epoch, ModelDsl vs PyTorch eager"
for prec in fp32 bf16 fp16; do
  app bench ModelDsl.Benchmarks.dll quick train-epoch --device "$mode" --model cifar --n $n_cifar --batch 128 --epochs $epochs --precision $prec --optimizer fused "${peak[@]}"
  app bench ModelDsl.Benchmarks.dll quick train-epoch --device "$mode" --model small --n $n_small --batch 512 --epochs $epochs --precision $prec --optimizer fused "${peak[@]}"
  for variant in loader tensor; do
    python3 benchmarks/python/train_epoch.py --device "$mode" --model cifar --n $n_cifar --batch 128 --epochs $epochs --variant $variant --precision $prec --workers 8 "${peak[@]}" || true
    python3 benchmarks/python/train_epoch.py --device "$mode" --model small --n $n_small --batch 512 --epochs $epochs --variant $variant --precision $prec --workers 8 "${peak[@]}" || true
  done
done
