# Writes a small folder in CIFAR-10's binary format (10 noisy colour classes, 500 train / 200 test records),
# the offline stand-in used in README.md.  usage: python3 samples/Cifar10/make-synthetic-cifar.py OUT_DIR
import os, random, sys
root = os.path.join(sys.argv[1], 'cifar-10-batches-bin'); os.makedirs(root, exist_ok=True)
rng = random.Random(1)
colours = [(200,40,40),(40,200,40),(40,40,200),(200,200,40),(200,40,200),(40,200,200),(230,230,230),(30,30,30),(230,130,30),(120,60,160)]
def write(name, n):
    out = bytearray()
    for r in range(n):
        k = r % 10; out.append(k)
        for c in range(3):
            base = colours[k][c]
            out += bytes(max(0, min(255, base + rng.randint(-70, 70))) for _ in range(1024))
    open(os.path.join(root, name), 'wb').write(out)
for i in range(1, 6): write(f'data_batch_{i}.bin', 100)
write('test_batch.bin', 200)
open(os.path.join(root, 'batches.meta.txt'), 'w').write('\n'.join(['airplane','automobile','bird','cat','deer','dog','frog','horse','ship','truck']) + '\n')
