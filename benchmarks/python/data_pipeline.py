"""PyTorch/torchvision baselines for the ModelDsl data-pipeline benchmarks (docs/BENCHMARKS.md, "Data pipeline").

  imagefolder: one epoch of torchvision ImageFolder (PIL decode, ToTensor) through torch.utils.data.DataLoader
               (batch 64, shuffle, num_workers 0 and 2) over the PNG folder that
               `dotnet run -c Release --project benchmarks/ModelDsl.Benchmarks -- quick data-imagefolder` creates.
  augment:     the CIFAR pipeline (RandomCrop 32 pad 4, HorizontalFlip, RandomAffine 15/0.1/0.9-1.1,
               ColorJitter .4/.4/.4/.1, Normalize) applied per image with torchvision, on a 128x3x32x32 batch:
               on tensors (torchvision's tensor transforms) and on PIL images (the classic per-image path).

Usage: python3 benchmarks/python/data_pipeline.py [imagefolder|augment|all] [--dir /tmp/modeldsl-bench-png-32]
"""
import os, statistics, sys, tempfile, time

import torch
import torchvision
import torchvision.transforms as T


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def bench_imagefolder():
    root = arg("--dir", os.path.join(tempfile.gettempdir(), "modeldsl-bench-png-32"))
    ds = torchvision.datasets.ImageFolder(root, transform=T.ToTensor())
    print(f"folder: {root} ({len(ds)} images)")
    torch.set_num_threads(1)
    for workers in (0, 2):
        loader = torch.utils.data.DataLoader(ds, batch_size=64, shuffle=True, num_workers=workers,
                                             generator=torch.Generator().manual_seed(1),
                                             persistent_workers=workers > 0)
        for _ in loader:  # warm-up epoch (and worker start-up, kept alive by persistent_workers)
            pass
        rates, cpu_rates = [], []
        for _ in range(5):
            t, c = time.perf_counter(), time.process_time()
            n = sum(x.shape[0] for x, _ in loader)
            rates.append(n / (time.perf_counter() - t))
            cpu_rates.append(n / (time.process_time() - c))
        # With workers the decoding happens in child processes, whose CPU time process_time() does not see.
        cpu = f"{statistics.median(cpu_rates):8.0f} images per CPU-second" if workers == 0 else "CPU in worker processes (not measured)"
        print(f"PyTorch DataLoader + ImageFolder/PIL workers={workers}: {statistics.median(rates):8.0f} images/s wall, {cpu} "
              f"(batch 64, median of 5 epochs)")


def bench_augment():
    torch.manual_seed(1)
    x = torch.rand(128, 3, 32, 32)
    norm = T.Normalize((0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261))
    tensor_pipeline = T.Compose([
        T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(),
        T.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1)),
        T.ColorJitter(0.4, 0.4, 0.4, 0.1), norm])
    pil_pipeline = T.Compose([
        T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(),
        T.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1)),
        T.ColorJitter(0.4, 0.4, 0.4, 0.1), T.ToTensor(), norm])
    pils = [T.ToPILImage()(img) for img in x]
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, threads {torch.get_num_threads()}, batch [128, 3, 32, 32]")

    def timed(name, fn, reps=10):
        for _ in range(2):
            fn()
        times, cpu = [], []
        for _ in range(reps):
            t, c = time.perf_counter(), time.process_time()
            fn()
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        print(f"{name:<48} {statistics.median(times):9.3f} ms/batch wall (min {min(times):8.3f}), {statistics.median(cpu):9.3f} ms CPU")

    timed("torchvision per image, tensor transforms", lambda: torch.stack([tensor_pipeline(img) for img in x]))
    timed("torchvision per image, PIL transforms + ToTensor", lambda: torch.stack([pil_pipeline(p) for p in pils]))
    for name, op in [("RandomCrop(32, pad 4)", T.RandomCrop(32, padding=4)), ("RandomHorizontalFlip", T.RandomHorizontalFlip()),
                     ("RandomAffine", T.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1))),
                     ("ColorJitter", T.ColorJitter(0.4, 0.4, 0.4, 0.1)), ("Normalize", norm)]:
        timed(f"  per image (tensor): {name}", lambda op=op: torch.stack([op(img) for img in x]))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "all"
    if what in ("imagefolder", "all"):
        bench_imagefolder()
    if what in ("augment", "all"):
        bench_augment()
