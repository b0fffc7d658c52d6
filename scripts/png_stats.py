#!/usr/bin/env python3
"""Prints what a PNG screenshot holds, as JSON: width, height, the share of pixels that are not
near-white, and the number of distinct colours (quantised to 4 bits a channel).

Used by the end-to-end test of report.html (tests/cli/report.rs) to check that the page
rendered in headless Chromium is not blank. Standard library only (zlib): 8-bit RGB or RGBA,
non-interlaced, as Chromium writes them.

Usage: python3 scripts/png_stats.py FILE.png
"""
import json
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = previous[x], previous[x - channels] if x >= channels else 0
            line[x] = (line[x] + (0, a, b, (a + b) // 2, paeth(a, b, c))[kind]) & 0xFF
        rows.append(line)
        previous = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = decode(sys.argv[1])
    inked, colours = 0, set()
    for line in rows:
        for x in range(0, len(line), channels * 2):  # every other pixel is enough
            r, g, b = line[x], line[x + 1], line[x + 2]
            inked += min(r, g, b) < 235
            colours.add((r >> 4, g >> 4, b >> 4))
    sampled = height * ((width + 1) // 2)
    print(json.dumps({"width": width, "height": height, "inked": inked / sampled, "colours": len(colours)}))


if __name__ == "__main__":
    main()
