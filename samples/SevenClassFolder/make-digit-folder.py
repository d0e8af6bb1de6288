# Writes the stand-in 7-class folder used in README.md: bundled MNIST digits 0-6 as 28x28 grey PNGs.
# usage: python3 samples/SevenClassFolder/make-digit-folder.py OUT_DIR   (run from the repository root)
import gzip, struct, zlib, os, sys
root = sys.argv[1]
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'mnist-10k')
def idx(name):
    with gzip.open(os.path.join(src, name)) as f: data = f.read()
    return data
def png(path, w, h, pixels):
    raw = b''.join(b'\x00' + pixels[y*w:(y+1)*w] for y in range(h))
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
names = ['zero','one','two','three','four','five','six']
for split, prefix, per in (('train','train',120),('test','t10k',40)):
    imgs = idx(prefix+'-images-idx3-ubyte.gz')[16:]; labels = idx(prefix+'-labels-idx1-ubyte.gz')[8:]
    count = {}
    for i, l in enumerate(labels):
        if l > 6 or count.get(l,0) >= per: continue
        count[l] = count.get(l,0)+1
        d = os.path.join(root, split, names[l]); os.makedirs(d, exist_ok=True)
        png(os.path.join(d, f'{i:05d}.png'), 28, 28, imgs[i*784:(i+1)*784])
print({k: v for k, v in count.items()})
