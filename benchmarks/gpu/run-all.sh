#!/usr/bin/env bash
# The one prepared GPU run (issue: CUDA paths proven, mixed precision, training vs PyTorch eager), in one go,
# so that the scarce device time is spent measuring, not building. Rehearse it on the CPU first:
#
#   bash benchmarks/gpu/run-all.sh prepare          # here: publish the runtime tests, the benchmarks and the main job into .gpu/app
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
  # One folder for the three apps (same repository, same dependency versions), linux-x64 only: the device tool
  # carries at most 64 MiB, and each framework-dependent app with every platform's natives is over 100.
  rid=(-r linux-x64 --self-contained false)
  bash ../shared/gpu/prepare.sh tests/ModelDsl.Runtime.Tests/ModelDsl.Runtime.Tests.csproj "${rid[@]}"
  dotnet publish benchmarks/ModelDsl.Benchmarks/ModelDsl.Benchmarks.csproj -c Release "${rid[@]}" -o .gpu/app
  dotnet publish samples/MnistDigits/MnistDigits.csproj -c Release "${rid[@]}" -o .gpu/app
  # As prepare.sh does: libtorch comes from the GPU machine's PyTorch.
  find .gpu/app -type f \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libgomp*.so*' -o -name 'libshm*.so*' \
    -o -name 'libnnapi*' -o -name 'libjitbackend*' -o -name 'libbackend_with_compiler*' -o -name 'libaoti*' -o -name 'libtorchbind*' \) -delete
  # Nor does a run there need code coverage, BenchmarkDotNet's disassembler/tracing or Roslyn (train-epoch and the
  # tests load none of them; the generator-cost benchmark, which does, is not part of this run).
  rm -rf .gpu/app/CodeCoverage .gpu/app/macos .gpu/app/alpine .gpu/app/ubuntu .gpu/app/x86 .gpu/app/x64 .gpu/app/arm64
  rm -f .gpu/app/libcapstone.so .gpu/app/Iced.dll .gpu/app/Microsoft.Diagnostics.Tracing.TraceEvent.dll .gpu/app/Microsoft.Diagnostics.Runtime.dll \
        .gpu/app/Microsoft.CodeAnalysis*.dll .gpu/app/*.pdb .gpu/app/*.xml .gpu/app/Gee.External.Capstone.dll \
        .gpu/app/Microsoft.CodeCoverage*.dll .gpu/app/xunit.runner.visualstudio.testadapter.dll \
        .gpu/app/Microsoft.VisualStudio.TestPlatform*.dll .gpu/app/Microsoft.TestPlatform*.dll   # VSTest: the in-process runner needs none
  du -sh .gpu
  exit 0
fi
log=${OUT:+$OUT/gpu-run.txt}; log=${log:-/dev/null}
exec > >(tee "$log") 2>&1
if [ "$mode" = cuda ]; then
  # On the GPU machine: .gpu/run.sh's environment (carried .NET, PyTorch's CUDA libtorch).
  app() { bash "$root/.gpu/run.sh" "$@"; }
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
  peak=(--peak-tflops 67); n_cifar=50000; n_small=50000; epochs=4
else
  # Rehearsal here: the same published folder, with the CPU libtorch TorchSharp-cpu restored into the NuGet cache.
  export LD_LIBRARY_PATH="$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native | head -1)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  app() { (cd "$root/.gpu/app" && dotnet "$@"); }
  peak=(); n_cifar=256; n_small=2048; epochs=2
  [ "$size" = quick ] || { n_cifar=1280; n_small=20000; epochs=3; }
fi
echo "== 1. the runtime tests ($mode): CUDA tests run instead of skipping"
app ModelDsl.Runtime.Tests.dll || echo "(tests: exit $?)"   # all of them: with CUDA visible, every CUDA branch runs
echo "== 2. main job --device $mode"
app MnistDigits.dll --data "$root/data/mnist-10k" --device "$mode" --epochs 2 --out "${OUT:-/tmp}/mnist-$mode" || echo "(main job: exit $?)"
echo "== 3. train-epoch, ModelDsl vs PyTorch eager"
for prec in fp32 bf16 fp16; do
  app ModelDsl.Benchmarks.dll quick train-epoch --device "$mode" --model cifar --n $n_cifar --batch 128 --epochs $epochs --precision $prec --optimizer fused "${peak[@]}"
  app ModelDsl.Benchmarks.dll quick train-epoch --device "$mode" --model small --n $n_small --batch 512 --epochs $epochs --precision $prec --optimizer fused "${peak[@]}"
  for variant in loader tensor; do
    python3 benchmarks/python/train_epoch.py --device "$mode" --model cifar --n $n_cifar --batch 128 --epochs $epochs --variant $variant --precision $prec --workers 8 "${peak[@]}" || true
    python3 benchmarks/python/train_epoch.py --device "$mode" --model small --n $n_small --batch 512 --epochs $epochs --variant $variant --precision $prec --workers 8 "${peak[@]}" || true
  done
done
