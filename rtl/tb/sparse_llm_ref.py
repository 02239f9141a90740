#!/usr/bin/env python3
"""Reference of docs/kernels/sparse_llm.md for the RTL testbench (rtl/tb/tb_sparse_llm.sv).

Writes, into the output directory, the stimulus and the expected results of a list of runs:
  runs.txt  one line per run: count rows cols N M precision shift stall in_beats w_beats out_beats
  in.hex    in_r beats (128 bits), all runs in order
  w.hex     w beats (Chains * 224 bits): the packed matrix once per batch of MaxBatch vectors
  out.hex   expected out_r beats: {TLAST, TDATA[127:0]} (129 bits)
Usage: sparse_llm_ref.py OUTDIR [--chains C] [--max-batch B] [--seed S] [--suite NAME | --runs R]
"""
import argparse
import os
import numpy as np


def make_weights(rng, rows, cols, n, m, precision):
    lo, hi = (-128, 127) if precision == 8 else (-8, 7)
    w = np.zeros((rows, cols), dtype=np.int64)
    for r in range(rows):
        for b in range(cols // m):
            keep = np.sort(rng.choice(m, size=n, replace=False)) if n < m else np.arange(m)
            w[r, b * m + keep] = rng.integers(lo, hi + 1, size=n)
    return w


def requant(acc, mant, shift):
    p = int(acc) * int(mant)
    if shift > 0:
        p += 1 << (shift - 1)
    y = p >> shift  # arithmetic (floor) shift
    return max(-128, min(127, y))


def kept(w_row_block, n, m):
    """The block's kept (index, value) pairs, increasing index, padded with zero weights."""
    idx = [i for i in range(m) if w_row_block[i] != 0]
    # zero weights may be kept too: pad with the lowest unused indices (any choice is valid as
    # long as the indices increase and the values are the weights there)
    if len(idx) < n:
        extra = [i for i in range(m) if i not in idx]
        idx = sorted(idx + extra[: n - len(idx)])
    assert len(idx) == n
    return [(i, int(w_row_block[i])) for i in idx]


def pack_matrix(w, mant, n, m, precision, chains):
    rows, cols = w.shape
    dense = n == m
    packed = dense and precision == 4
    gr = 2 * chains if packed else chains
    s_sub = 16 // n
    nblocks = cols // m
    beats_per_group = -(-nblocks // s_sub)
    beats = []
    for g in range(rows // gr):
        for t in range(beats_per_group):
            word = 0
            for c in range(chains):
                lane = 0
                if packed:
                    r_lo, r_hi = g * gr + 2 * c, g * gr + 2 * c + 1
                    for s in range(16):
                        k = t * 16 + s
                        v = ((int(w[r_hi, k]) & 0xF) << 4) | (int(w[r_lo, k]) & 0xF)
                        lane |= v << (8 * s)
                    if t == 0:
                        lane |= (int(mant[r_lo]) | (int(mant[r_hi]) << 16)) << 192
                else:
                    r = g * gr + c
                    for j in range(s_sub):
                        blk = t * s_sub + j
                        if blk >= nblocks:
                            continue
                        if dense:
                            pairs = [(i, int(w[r, blk * m + i])) for i in range(m)]
                        else:
                            pairs = kept(w[r, blk * m:(blk + 1) * m], n, m)
                        for i, (index, value) in enumerate(pairs):
                            s = j * n + i
                            code = (value & 0xF) if precision == 4 else (value & 0xFF)
                            lane |= code << (8 * s)
                            if not dense:
                                lane |= index << (128 + 4 * s)
                    if t == 0:
                        lane |= int(mant[r]) << 192
                word |= lane << (224 * c)
            beats.append(word)
    return beats


SUITES = {
    # count rows cols N M precision shift (-1: picked from the data) stall
    "main": [
        (1, 32, 64, 16, 16, 8, -1, 0),     # dense INT8, MV
        (4, 64, 256, 16, 16, 8, -1, 0),    # dense INT8, a full batch, full size
        (6, 48, 80, 8, 16, 8, -1, 0),      # 8:16, padding blocks, batches 4 + 2
        (5, 16, 48, 2, 4, 8, -1, 0),       # 2:4, padding blocks, 4 + 1
        (3, 32, 128, 16, 16, 4, 0, 0),     # dense INT4 packed, shift 0: saturation
        (2, 16, 32, 4, 16, 4, 47, 0),      # 4:16 INT4, shift 47
        (3, 16, 96, 6, 16, 8, -1, 0),      # 6:16 (S = 2, slots 12..15 unused)
        (2, 32, 64, 10, 16, 4, -1, 0),     # 10:16 INT4 (S = 1, slots 10..15 unused)
        (5, 16, 64, 2, 16, 8, -1, 0),      # 2:16 (S = 8)
        (4, 32, 48, 16, 16, 4, -1, 0),     # dense INT4 packed, K = 48
        (0, 16, 16, 16, 16, 8, -1, 0),     # zero items
        (9, 32, 64, 16, 16, 8, -1, 1),     # stalls: dense INT8
        (6, 48, 80, 8, 16, 8, -1, 1),      # stalls: 8:16
        (5, 16, 48, 2, 4, 8, -1, 1),       # stalls: 2:4
        (5, 32, 128, 16, 16, 4, -1, 1),     # stalls: packed
        (3, 16, 96, 6, 16, 4, -1, 1),      # stalls: 6:16 INT4
        (1, 16, 16, 16, 16, 8, 0, 1),      # smallest, stalls
    ],
    "quick": [
        (1, 16, 16, 16, 16, 8, 10, 0),
    ],
    # cycle-model shapes: no stalls
    "cycles": [
        (1, 16, 16, 16, 16, 8, 10, 0),
        (2, 32, 64, 16, 16, 8, 10, 0),
        (5, 32, 64, 16, 16, 8, 10, 0),
        (7, 48, 80, 8, 16, 8, 10, 0),
        (3, 16, 48, 2, 4, 8, 10, 0),
        (9, 32, 48, 16, 16, 4, 10, 0),
        (2, 16, 96, 6, 16, 8, 10, 0),
        (6, 32, 64, 10, 16, 4, 10, 0),
        (8, 16, 64, 2, 16, 8, 10, 0),
        (4, 16, 32, 4, 16, 4, 10, 0),
        (60, 16, 16, 16, 16, 8, 10, 0),
        (0, 16, 16, 16, 16, 8, 10, 0),
    ],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--chains", type=int, default=2)
    ap.add_argument("--max-batch", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--suite", default="main")
    ap.add_argument("--runs", help="runs instead of a suite: 'count,rows,cols,N,M,precision,shift,stall;...'")
    a = ap.parse_args()
    suite = SUITES[a.suite]
    if a.runs:
        suite = [tuple(int(v) for v in r.split(",")) for r in a.runs.split(";")]
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    runs, in_beats, w_beats, out_beats = [], [], [], []
    for (count, rows, cols, n, m, precision, shift, stall) in suite:
        w = make_weights(rng, rows, cols, n, m, precision)
        mant = rng.integers(0, 1 << 16, size=rows)
        if shift == 0:
            mant = rng.integers(0, 4, size=rows)  # a few small codes survive, most saturate
        x = rng.integers(-128, 128, size=(count, cols))
        if count > 0:
            x[0, :] = 127 if count > 1 else x[0, :]  # large sums: saturation
        acc = x @ w.T  # count x rows, exact in int64
        if shift < 0:  # auto: the typical |acc m| lands around 2^6, so some outputs saturate
            typical = float(np.median(np.abs(acc) * mant[None, :])) if count > 0 else 1.0
            shift = max(1, min(47, int(np.ceil(np.log2(max(typical, 2.0)))) - 6))
        matrix = pack_matrix(w, mant, n, m, precision, a.chains)
        batches = -(-count // a.max_batch)
        n_in = n_w = n_out = 0
        for v in range(count):
            for q in range(cols // 16):
                beat = 0
                for i in range(16):
                    beat |= (int(x[v, 16 * q + i]) & 0xFF) << (8 * i)
                in_beats.append(beat)
                n_in += 1
        for _ in range(batches):
            w_beats.extend(matrix)
            n_w += len(matrix)
        for v in range(count):
            for q in range(rows // 16):
                beat = 0
                for i in range(16):
                    beat |= (requant(acc[v, 16 * q + i], mant[16 * q + i], shift) & 0xFF) << (8 * i)
                last = 1 if q == rows // 16 - 1 else 0
                out_beats.append((last << 128) | beat)
                n_out += 1
        runs.append((count, rows, cols, n, m, precision, shift, stall, n_in, n_w, n_out))
    with open(os.path.join(a.outdir, "runs.txt"), "w") as f:
        f.write(f"{len(runs)}\n")
        for r in runs:
            f.write(" ".join(str(v) for v in r) + "\n")

    def dump(name, beats, bits):
        digits = (bits + 3) // 4
        with open(os.path.join(a.outdir, name), "w") as f:
            for b in beats:
                f.write(f"{b:0{digits}x}\n")
            if not beats:
                f.write("0" * digits + "\n")
    dump("in.hex", in_beats, 128)
    dump("w.hex", w_beats, 224 * a.chains)
    dump("out.hex", out_beats, 129)
    print(f"{len(runs)} runs: {len(in_beats)} in, {len(w_beats)} w, {len(out_beats)} out beats")


if __name__ == "__main__":
    main()
