"""Trains the generated PyTorch twin of the DSL LeNet5 (samples/CourseModels/LeNet5.cs) with torchrun and
DistributedDataParallel on the repository's MNIST IDX files, and saves the weights where the .NET model loads them.

    dotnet run --project samples/TorchrunTrain -c Release -- twin lenet5_twin.py
    torchrun --standalone --nproc_per_node 2 samples/TorchrunTrain/train_ddp.py \
        --twin lenet5_twin.py --data data/mnist-10k --out lenet5-ddp.pt
    dotnet run --project samples/TorchrunTrain -c Release -- lenet5-ddp.pt

gloo on CPU, NCCL when every process has a GPU (LOCAL_RANK picks it). Needs only torch and numpy (Debian:
python3-torch); the IDX files are read here with gzip + numpy, the layout IdxReader.cs reads in .NET.
"""
import argparse
import gzip
import importlib.util
import os
import struct
import time

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def load_twin(path, name):
    """The model's generated twin: the Python that `{Model}.PyTorchSource` returns in .NET (written to a file by
    `dotnet run --project samples/TorchrunTrain -c Release -- twin lenet5_twin.py`). Its state_dict names are the .NET
    module's, so LoadFromPyTorch needs no name map."""
    spec = importlib.util.spec_from_file_location("modeldsl_twin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, name):
        raise SystemExit(f"{path} defines no class {name}: write it from {name}.PyTorchSource")
    return getattr(module, name)


def read_idx(path, expected_magic):
    """An IDX file (gzipped or raw): big-endian magic, then one big-endian int32 per dimension, then uint8 data."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">i", data[:4])[0]
    if magic != expected_magic:
        raise ValueError(f"{path}: IDX magic {magic:#x}, expected {expected_magic:#x}")
    rank = magic & 0xFF
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(directory, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{stem}[.gz] not found in {directory}")


def mnist(directory, split, limit):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(find(directory, f"{prefix}-images-idx3-ubyte"), 0x803)
    labels = read_idx(find(directory, f"{prefix}-labels-idx1-ubyte"), 0x801)
    if limit:
        images, labels = images[:limit], labels[:limit]
    # 1×28×28 in [0, 1], as MnistDataset gives the .NET model.
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return TensorDataset(x, torch.from_numpy(labels.astype(np.int64)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--twin", required=True, help="the model's generated PyTorch twin (its PyTorchSource, saved as a .py file)")
    p.add_argument("--model", default="LeNet5", help="the twin's class name (the DSL model's name)")
    p.add_argument("--data", default="data/mnist-10k", help="folder with the MNIST IDX files")
    p.add_argument("--out", default="lenet5-ddp.pt", help="weights file (torch.save's format; SaveForPyTorch/LoadFromPyTorch's .pt)")
    p.add_argument("--samples", type=int, default=0, help="train on the first N digits only (0: all)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=32, help="per process")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()

    use_cuda = torch.cuda.is_available()
    dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)

    torch.manual_seed(args.seed)  # same initial weights in every process (DDP also broadcasts rank 0's)
    model = load_twin(args.twin, args.model)().to(device)
    ddp = DistributedDataParallel(model, device_ids=[local_rank] if use_cuda else None)
    data = mnist(args.data, "train", args.samples)
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=args.batch_size, sampler=sampler)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()

    start = time.time()
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        ddp.train()
        total = torch.zeros(2, device=device)
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(ddp(x), y)
            loss.backward()  # DDP averages the gradients over all processes here
            optimizer.step()
            total += torch.stack([loss.detach() * len(y), torch.tensor(float(len(y)), device=device)])
        dist.all_reduce(total)
        if rank == 0:
            print(f"epoch {epoch}: train loss {total[0].item() / total[1].item():.4f} over {int(total[1].item())} digits "
                  f"({world} processes, {time.time() - start:.1f} s)", flush=True)

    if rank == 0:
        # Atomic like SaveForPyTorch: a temporary file in the same folder, then a rename.
        out = os.path.abspath(args.out)
        tmp = out + f".{os.getpid()}.tmp"
        torch.save({k: v.cpu() for k, v in model.state_dict().items()}, tmp)
        os.replace(tmp, out)
        print(f"saved {out} ({len(model.state_dict())} tensors) after {time.time() - start:.1f} s", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
