#!/usr/bin/env python3
"""Checks the cycle counts printed by tb_sparse_llm (runs without stalls) against the cycle model
of docs/kernels/sparse_llm.md §6. Usage: sparse_llm_cycles.py LOG [--chains C] [--max-batch B]
[--slices L]; prints one line per run and PASS or FAIL."""
import argparse
import re


def run_cycles(count, rows, cols, n, m, precision, chains, max_batch, slices=16):
    if count == 0:
        return 0
    packed = n == m and precision == 4
    group_rows = 2 * chains if packed else chains
    beats = -(-(cols // m) // (16 // n))           # T
    per_item = cols // 16 + (rows // group_rows) * beats + rows // 16
    batches = -(-count // max_batch)
    return count * per_item + (slices + 7) * batches - 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--chains", type=int, default=2)
    ap.add_argument("--max-batch", type=int, default=4)
    ap.add_argument("--slices", type=int, default=16)
    a = ap.parse_args()
    bad = checked = 0
    pat = re.compile(r"run (\d+) count (\d+) rows (\d+) cols (\d+) N (\d+) M (\d+) precision (\d+) "
                     r"shift (\d+) stall (\d+) cycles (\d+)")
    for line in open(a.log):
        mt = pat.search(line)
        if not mt:
            continue
        run, count, rows, cols, n, m, prec, shift, stall, cycles = (int(v) for v in mt.groups())
        if stall:
            continue
        model = run_cycles(count, rows, cols, n, m, prec, a.chains, a.max_batch, a.slices)
        ok = model == cycles
        checked += 1
        bad += not ok
        print(f"run {run}: count {count} R {rows} K {cols} {n}:{m} INT{prec}: rtl {cycles} model {model}"
              f" {'ok' if ok else 'MISMATCH'}")
    print("PASS" if bad == 0 and checked > 0 else "FAIL")


if __name__ == "__main__":
    main()
