"""End-to-end CPU training epochs in PyTorch eager, the counterpart of ModelDsl's `quick train-epoch`:
random uint8 data of CIFAR-10's shape, Adam (lr 1e-3), random crop 32 pad 4 + horizontal flip + normalize.
  --variant loader : torch DataLoader over a dataset that decodes nothing but does torchvision transforms
                     per image (PIL image -> RandomCrop -> RandomHorizontalFlip -> ToTensor -> Normalize),
                     as torchvision's CIFAR10 does
  --variant tensor : all images in one uint8 tensor in memory, batched augmentation on tensors
images/s per epoch, median over the epochs after the first (warm-up).
  --device cuda    : model on the GPU; "loader" copies each batch to it (pin_memory), "tensor" keeps the data there
  --precision bf16|fp16 : torch.autocast to that type (fp16 with torch.cuda.amp.GradScaler), the PyTorch way
Also prints the training FLOP/s (6 x multiply-adds per image, counted from the model's conv/linear layers)
and, with --peak-tflops, the MFU.
    /usr/bin/python3 benchmarks/python/train_epoch.py --model cifar|small --variant loader|tensor [--threads 2] [--epochs 4] [--workers 0] [--device cpu|cuda] [--precision fp32|bf16|fp16] [--peak-tflops P]"""
import argparse, statistics, time
import numpy as np
import torch
import torch.nn.functional as F
from nets import MODELS

ap = argparse.ArgumentParser()
ap.add_argument("--model", default="cifar", choices=MODELS)
ap.add_argument("--variant", default="tensor", choices=["loader", "tensor"])
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--workers", type=int, default=0)
ap.add_argument("--n", type=int)
ap.add_argument("--batch", type=int)
ap.add_argument("--channels-last", action="store_true")
ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
ap.add_argument("--peak-tflops", type=float)
ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
args = ap.parse_args()
torch.set_num_threads(args.threads)
make, n, batch = MODELS[args.model]
n, batch = args.n or n, args.batch or batch
MEAN, STD = (0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261)

torch.manual_seed(1)
g = torch.Generator().manual_seed(7)
images = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=g)
labels = torch.randint(0, 10, (n,), generator=g)
dev = torch.device(args.device)
model = make().to(dev)
if args.channels_last:
    model = model.to(memory_format=torch.channels_last)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
amp_dtype = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}[args.precision]
scaler = torch.cuda.amp.GradScaler(enabled=args.precision == "fp16" and dev.type == "cuda")

if args.variant == "loader":
    import torchvision.transforms as T
    from PIL import Image

    class RandomCifar(torch.utils.data.Dataset):
        def __init__(self):
            self.data = images.permute(0, 2, 3, 1).contiguous().numpy()  # HWC like torchvision's CIFAR10
            self.targets = labels.tolist()
            self.transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(MEAN, STD)])

        def __len__(self):
            return n

        def __getitem__(self, i):
            return self.transform(Image.fromarray(self.data[i])), self.targets[i]

    loader = torch.utils.data.DataLoader(RandomCifar(), batch_size=batch, shuffle=True, num_workers=args.workers,
                                         pin_memory=dev.type == "cuda")

    def batches():
        for x, y in loader:
            yield x.to(dev, non_blocking=True), y.to(dev, non_blocking=True)
else:
    images, labels = images.to(dev), labels.to(dev)
    mean = torch.tensor(MEAN, device=dev).view(1, 3, 1, 1)
    std = torch.tensor(STD, device=dev).view(1, 3, 1, 1)
    ar = torch.arange(32, device=dev)

    def augment(x):
        b = x.shape[0]
        x = F.pad(x.float().div_(255), (4, 4, 4, 4))
        oy = torch.randint(0, 9, (b,), device=dev)
        ox = torch.randint(0, 9, (b,), device=dev)
        iy = (oy[:, None] + ar)[:, None, :, None].expand(b, 3, 32, 32)
        ix = (ox[:, None] + ar)[:, None, None, :].expand(b, 3, 32, 32)
        x = x[torch.arange(b, device=dev)[:, None, None, None], torch.arange(3, device=dev)[None, :, None, None], iy, ix]  # per-sample crop
        flip = torch.rand(b, device=dev) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        return (x - mean) / std

    def batches():
        perm = torch.randperm(n, device=dev)
        for s in range(0, n, batch):
            idx = perm[s:s + batch]
            yield augment(images[idx]), labels[idx]

def multiply_adds_per_image():
    """Conv2d and Linear multiply-adds for one 3x32x32 image (what ModelDsl's generated Layers table counts)."""
    total = 0

    def hook(m, inp, out):
        nonlocal total
        if isinstance(m, torch.nn.Conv2d):
            total += out[0].numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        else:
            total += m.in_features * m.out_features
    hooks = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, 32, 32, device=dev))
    for h in hooks:
        h.remove()
    return total


flops = 6.0 * multiply_adds_per_image()  # forward 2 FLOPs per multiply-add, backward twice that
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, model {args.model}, n {n}, batch {batch}, variant {args.variant}"
      f"{', workers ' + str(args.workers) if args.variant == 'loader' else ''}{', channels-last' if args.channels_last else ''}, precision {args.precision}")
model.train()
rates = []
for epoch in range(args.epochs):
    t = time.perf_counter()
    for x, y in batches():
        if args.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        with torch.autocast(dev.type, dtype=amp_dtype, enabled=amp_dtype is not None):
            loss = F.cross_entropy(model(x), y)
        loss.item()
        opt.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    rate = n / (time.perf_counter() - t)
    print(f"epoch {epoch}: {rate:.0f} img/s")
    if epoch > 0:
        rates.append(rate)
median = statistics.median(rates)
mfu = f", MFU {100 * median * flops / (args.peak_tflops * 1e12):.2f}%" if args.peak_tflops else ""
print(f"median {median:.0f} img/s, {median * flops / 1e9:.1f} GFLOP/s{mfu}")
