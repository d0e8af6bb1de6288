"""One optimizer step over CifarCnn's / SmallNet's parameters with fixed random gradients, two param
groups (features, classifier): torch.optim SGD(momentum 0.9, wd 1e-4) / Adam / AdamW, for-loop and
foreach implementations, interleaved, ms per step (median of 60 after 10 warm-ups).
    /usr/bin/python3 benchmarks/python/optimizer_step.py [--threads 2]"""
import argparse, statistics, time
import torch
from nets import cifar_cnn, small_net

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
torch.set_num_threads(args.threads)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")


def build(kind, model, foreach):
    groups = [{"params": list(m.parameters())} for m in model]
    if kind == "SGD":
        return torch.optim.SGD(groups, lr=1e-3, momentum=0.9, weight_decay=1e-4, foreach=foreach)
    if kind == "Adam":
        return torch.optim.Adam(groups, lr=1e-3, foreach=foreach)
    return torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01, foreach=foreach)


for name, make in (("CifarCnn", cifar_cnn), ("SmallNet", small_net)):
    for kind in ("SGD", "Adam", "AdamW"):
        opts = []
        for foreach in (False, True):
            m = make()
            for p in m.parameters():
                p.grad = torch.randn_like(p) * 1e-2
            opts.append(build(kind, m, foreach))
        times = [[], []]
        for i in range(70):
            for j, o in enumerate(opts):
                t = time.perf_counter()
                o.step()
                if i >= 10:
                    times[j].append((time.perf_counter() - t) * 1000)
        n = sum(p.numel() for p in make().parameters())
        print(f"{name:9} {n:>10,} {kind:6} for-loop {statistics.median(times[0]):8.3f} ms   foreach {statistics.median(times[1]):8.3f} ms")
