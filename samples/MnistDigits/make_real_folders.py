#!/usr/bin/env python3
"""Writes real labelled image data shipped in public packages as ImageFolder roots for the main job.

  digits OUT  scikit-learn's 8x8 handwritten digits (1,797 real scans, UCI "optdigits"), from Debian's
              python3-sklearn: gray PNGs, OUT/train/<0..9>/ and OUT/test/<0..9>/ (a seeded, stratified
              80/20 split, as the dataset has no official one).
  emoji OUT   the 64x64 colour emoji images of three emoji sets from the npm packages
              emoji-datasource-{google,twitter,facebook}@16.0.0, labelled by the set that drew them:
              OUT/train/<google|twitter|facebook>/<codepoints>.png for the 1,860 emoji all three sets
              have (5,580 images). train/ only, so the job holds out its own validation split; with
              --test-share F a seeded share F of the emoji (all three renderings of each) goes to test/.

Standard library only; the packages are fetched with their ordinary clients (apt-get download, npm pack)
into --cache (default: OUT/../package-cache) unless already there. The data is not committed: run this.
"""
import argparse
import csv
import gzip
import io
import json
import os
import random
import struct
import subprocess
import sys
import tarfile
import zlib

EMOJI_SETS = ["google", "twitter", "facebook"]
EMOJI_VERSION = "16.0.0"


def fetch(cache, filename_prefix, command):
    """The cached file whose name starts with filename_prefix, fetched with command (run in cache) if absent."""
    os.makedirs(cache, exist_ok=True)
    found = [f for f in sorted(os.listdir(cache)) if f.startswith(filename_prefix)]
    if not found:
        subprocess.run(command, cwd=cache, check=True, stdout=subprocess.DEVNULL)
        found = [f for f in sorted(os.listdir(cache)) if f.startswith(filename_prefix)]
    if not found:
        sys.exit(f"{' '.join(command)} left no {filename_prefix}* in {cache}")
    return os.path.join(cache, found[-1])


def gray_png(pixels, width, height):
    """An 8-bit grayscale PNG (colour type 0) of row-major pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def digits(out, cache):
    deb = fetch(cache, "python3-sklearn_", ["apt-get", "download", "python3-sklearn"])
    member = "./usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz"
    # A .deb is an ar archive whose data.tar.* holds the files; dpkg-deb reads it.
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True, stdout=subprocess.PIPE).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        text = gzip.decompress(tar.extractfile(member).read()).decode()
    rows = [list(map(float, r)) for r in csv.reader(io.StringIO(text)) if r]
    by_class = {}
    for i, row in enumerate(rows):
        by_class.setdefault(int(row[64]), []).append(i)
    rng = random.Random(0)
    counts = {"train": 0, "test": 0}
    for label, members in sorted(by_class.items()):
        rng.shuffle(members)
        n_test = round(0.2 * len(members))
        for rank, i in enumerate(members):
            split = "test" if rank < n_test else "train"
            folder = os.path.join(out, split, str(label))
            os.makedirs(folder, exist_ok=True)
            # Values are 0..16 (ink counts of 4x4 blocks of the 32x32 scan): scaled to 0..255, ink bright as in MNIST.
            pixels = [round(v * 255 / 16) for v in rows[i][:64]]
            with open(os.path.join(folder, f"{i:04d}.png"), "wb") as f:
                f.write(gray_png(pixels, 8, 8))
            counts[split] += 1
    print(f"{out}: {counts['train']} train, {counts['test']} test images of 10 classes, 8x8 gray PNG")


def emoji(out, cache, test_share=None):
    tarballs = {s: fetch(cache, f"emoji-datasource-{s}-{EMOJI_VERSION}", ["npm", "pack", "--silent", f"emoji-datasource-{s}@{EMOJI_VERSION}"])
                for s in EMOJI_SETS}
    with tarfile.open(tarballs[EMOJI_SETS[0]]) as tar:
        table = json.load(tar.extractfile("package/emoji.json"))
    common = [e["image"] for e in table if all(e.get(f"has_img_{s}") for s in EMOJI_SETS)]
    test = set(random.Random(0).sample(common, round(test_share * len(common)))) if test_share else set()
    for s in EMOJI_SETS:
        with tarfile.open(tarballs[s]) as tar:
            for image in common:
                folder = os.path.join(out, "test" if image in test else "train", s)
                os.makedirs(folder, exist_ok=True)
                data = tar.extractfile(f"package/img/{s}/64/{image}").read()
                with open(os.path.join(folder, image), "wb") as f:
                    f.write(data)
    n = len(EMOJI_SETS)
    print(f"{out}: {(len(common) - len(test)) * n} train, {len(test) * n} test images ({len(common)} emoji x {n} sets), 64x64 colour PNG"
          + ("" if test else ", no test/"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", choices=["digits", "emoji"])
    parser.add_argument("out", help="the ImageFolder root to write (must not exist yet)")
    parser.add_argument("--cache", help="where the fetched packages are kept (default: OUT/../package-cache)")
    parser.add_argument("--test-share", type=float, help="emoji: the share of emoji written to test/ (default: none, train/ only)")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        sys.exit(f"{out} already exists; remove it or choose another folder")
    cache = os.path.abspath(args.cache or os.path.join(os.path.dirname(out), "package-cache"))
    if args.dataset == "digits":
        digits(out, cache)
    else:
        emoji(out, cache, args.test_share)


if __name__ == "__main__":
    main()
