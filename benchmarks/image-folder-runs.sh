#!/usr/bin/env bash
# Soak run for native crashes (docs/TRAINING.md "Native crashes under GC pressure"), on the stand-in 7-class digit
# folder (PNG files), each run a fresh process, RUNS times each, alternating:
#   - the main job (samples/MnistDigits --data FOLDER): ImageFolder decoding on loader threads, RandomAffine +
#     ColorJitter + flips, the issue's "Unknown scalar type in RandomAffine" setting;
#   - samples/SevenClassFolder: the generated SevenClassNet with ELU, the issue's "toFloat inside ELU" setting.
# A run fails on an exit code other than 0 or "Exception"/"Expected false" on stderr (the TorchSharp Scalar-lifetime
# crash's messages).
#
#   bash benchmarks/image-folder-runs.sh [RUNS] [EPOCHS]     defaults: 50 runs of each, 2 epochs
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-50}; epochs=${2:-2}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 "$root/samples/SevenClassFolder/make-digit-folder.py" "$work/seven" >/dev/null
for s in MnistDigits SevenClassFolder; do
  dotnet build "$root/samples/$s" -c Release -v q -nologo >/dev/null || { echo "build of $s failed"; exit 2; }
done
failed=0; total=0
for i in $(seq 1 "$runs"); do
  for s in MnistDigits SevenClassFolder; do
    total=$((total + 1)); start=$(date +%s)
    case $s in
      MnistDigits) args=(--data "$work/seven" --epochs "$epochs" --out "$work/out-main") ;;
      *) args=(--data "$work/seven" --epochs "$epochs" --workers 2) ;;
    esac
    dotnet "$root/samples/$s/bin/Release/net10.0/$s.dll" "${args[@]}" >"$work/out" 2>"$work/err" </dev/null
    rc=$?
    if [ $rc -ne 0 ] || grep -q "Exception\|Expected false" "$work/err"; then
      failed=$((failed + 1))
      echo "run $i $s: FAILED (exit $rc): $(grep -m1 -E 'Exception|Expected|error' "$work/err" | cut -c1-200)"
    else
      echo "run $i $s: ok ($(( $(date +%s) - start )) s)"
    fi
  done
done
echo "$((total - failed)) of $total runs clean, $failed failed"
