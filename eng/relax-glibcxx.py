#!/usr/bin/env python3
"""Lets TorchSharp 0.107's libLibTorchSharp.so load on a libstdc++ older than GCC 13 (Debian 12).

The library asks libstdc++ for version GLIBCXX_3.4.32 for one symbol only, std::ios_base_library_init,
which GCC 13's <iostream> references to pull the library's stream initialiser in; nothing calls it
through a relocation. Marking that version requirement weak (VER_FLG_WEAK in .gnu.version_r) makes the
dynamic loader accept an older libstdc++ instead of refusing to load. Idempotent; patches a copy in a
build output, never the NuGet cache. Usage: relax-glibcxx.py path/to/libLibTorchSharp.so
"""
import struct, sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE
RELAXED = {b"GLIBCXX_3.4.32"}

def main(path):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            print(f"{path}: not a little-endian ELF64 file, left as is"); return
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        patched = 0
        for (_, sh_type, _, _, off, _, link, info, _, _) in sections:
            if sh_type != SHT_GNU_VERNEED: continue
            strtab = sections[link][4]
            vn = off
            for _ in range(info):
                _, cnt, _, aux, nxt = struct.unpack_from("<HHIII", data, vn)
                va = vn + aux
                for _ in range(cnt):
                    _, flags, _, name, vnext = struct.unpack_from("<IHHII", data, va)
                    end = data.index(0, strtab + name)
                    if bytes(data[strtab + name:end]) in RELAXED and not flags & VER_FLG_WEAK:
                        struct.pack_into("<H", data, va + 4, flags | VER_FLG_WEAK); patched += 1
                    va += vnext
                    if vnext == 0: break
                vn += nxt
                if nxt == 0: break
        if patched:
            f.seek(0); f.write(data)
        print(f"{path}: {patched} version requirement(s) relaxed")

if __name__ == "__main__":
    for p in sys.argv[1:]: main(p)
