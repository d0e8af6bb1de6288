"""End-to-end CPU training epochs in PyTorch eager, the counterpart of ModelDsl's `quick train-epoch`:
random uint8 data of CIFAR-10's shape, Adam (lr 1e-3), random crop 32 pad 4 + horizontal flip + normalize.
  --variant loader : torch DataLoader over a dataset that decodes nothing but does torchvision transforms
                     per image (PIL image -> RandomCrop -> RandomHorizontalFlip -> ToTensor -> Normalize),
                     as torchvision's CIFAR10 does
  --variant tensor : all images in one uint8 tensor in memory, batched augmentation on tensors
images/s per epoch, median over the epochs after the first (warm-up).
    /usr/bin/python3 benchmarks/python/train_epoch.py --model cifar|small --variant loader|tensor [--threads 2] [--epochs 4] [--workers 0]"""
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
args = ap.parse_args()
torch.set_num_threads(args.threads)
make, n, batch = MODELS[args.model]
n, batch = args.n or n, args.batch or batch
MEAN, STD = (0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261)

torch.manual_seed(1)
g = torch.Generator().manual_seed(7)
images = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=g)
labels = torch.randint(0, 10, (n,), generator=g)
model = make()
if args.channels_last:
    model = model.to(memory_format=torch.channels_last)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

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

    loader = torch.utils.data.DataLoader(RandomCifar(), batch_size=batch, shuffle=True, num_workers=args.workers)

    def batches():
        yield from loader
else:
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    ar = torch.arange(32)

    def augment(x):
        b = x.shape[0]
        x = F.pad(x.float().div_(255), (4, 4, 4, 4))
        oy = torch.randint(0, 9, (b,))
        ox = torch.randint(0, 9, (b,))
        iy = (oy[:, None] + ar)[:, None, :, None].expand(b, 3, 32, 32)
        ix = (ox[:, None] + ar)[:, None, None, :].expand(b, 3, 32, 32)
        x = x[torch.arange(b)[:, None, None, None], torch.arange(3)[None, :, None, None], iy, ix]  # per-sample crop
        flip = torch.rand(b) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
        return (x - mean) / std

    def batches():
        perm = torch.randperm(n)
        for s in range(0, n, batch):
            idx = perm[s:s + batch]
            yield augment(images[idx]), labels[idx]

print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, model {args.model}, n {n}, batch {batch}, variant {args.variant}"
      f"{', workers ' + str(args.workers) if args.variant == 'loader' else ''}{', channels-last' if args.channels_last else ''}")
model.train()
rates = []
for epoch in range(args.epochs):
    t = time.perf_counter()
    for x, y in batches():
        if args.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        loss = F.cross_entropy(model(x), y)
        loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    rate = n / (time.perf_counter() - t)
    print(f"epoch {epoch}: {rate:.0f} img/s")
    if epoch > 0:
        rates.append(rate)
print(f"median {statistics.median(rates):.0f} img/s")
