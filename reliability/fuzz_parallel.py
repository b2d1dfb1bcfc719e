#!/usr/bin/env python3
# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A million fuzzed documents through the cXML parser, on all cores.

Reuses bench/fuzz_cxml.py's mutators and checks (which stays the 100,000-case
run): every process runs its own seeded chunk; anything other than a
``CXMLError`` is an unexpected exception. Prints the counts and the throughput;
exits 1 on any unexpected exception.

Usage: python3 reliability/fuzz_parallel.py [--count 1000000] [--seed 20260101]
[--processes N] (default: all cores)
"""

import argparse
import os
import random
import sys
import time
import traceback
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import fuzz_cxml


def chunk(job):
    seed, count = job
    rng = random.Random(seed)
    seeds = fuzz_cxml.load_seeds()
    outcomes, unexpected, examples = Counter(), Counter(), {}
    for _ in range(count):
        try:
            outcomes[fuzz_cxml.run_one(rng, rng.choice(seeds))] += 1
        except Exception as exc:  # noqa: BLE001 - counting is the point
            key = f"{type(exc).__name__}: {exc}"[:200]
            unexpected[key] += 1
            examples.setdefault(key, traceback.format_exc())
    return outcomes, unexpected, examples


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    size = 10_000
    jobs = [
        (args.seed * 1000 + n, min(size, args.count - n * size))
        for n in range((args.count + size - 1) // size)
    ]
    outcomes, unexpected, examples = Counter(), Counter(), {}
    start = time.perf_counter()
    with Pool(args.processes) as pool:
        for out, bad, ex in pool.imap_unordered(chunk, jobs):
            outcomes.update(out)
            unexpected.update(bad)
            for key, text in ex.items():
                examples.setdefault(key, text)
    elapsed = time.perf_counter() - start
    total_unexpected = sum(unexpected.values())
    print(
        f"fuzz_parallel: seed={args.seed} inputs={args.count} "
        f"processes={args.processes} parsed={outcomes['parsed']} "
        f"cxml_errors={outcomes['cxml_error']} unexpected={total_unexpected} "
        f"time={elapsed:.1f}s throughput={args.count / elapsed:.0f}/s "
        f"(load {os.getloadavg()[0]:.1f})"
    )
    for key, count in unexpected.most_common(10):
        print(f"  {count} x {key}")
        print(examples[key])
    return 1 if total_unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
