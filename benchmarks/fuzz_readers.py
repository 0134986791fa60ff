"""Fuzz the ECG file readers with corrupted and truncated files.

Runs the harness of ``tests/fuzz_harness.py`` (the same as
``tests/test_readers_fuzz.py``) on many random mutations of a valid WFDB
header, MATLAB v4 file and CODE-15% HDF5 part, and prints the count of each
outcome per reader. Any outcome other than a correct read or one of our clear
exceptions - another exception type, a message not naming the file, or a case
running over the time limit (a hang) - counts as a failure and makes the
script exit with status 1.

Usage::

    python benchmarks/fuzz_readers.py [--cases 10000] [--seed 0] [--timeout 5]
"""

import argparse
import collections
import random
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the harness is a test helper, not in the package

from fuzz_harness import FUZZ_TARGETS, mutate, seed_files  # noqa: E402


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang


def main(argv=None) -> int:
    """Run the fuzzer; return 0 when every case ended cleanly."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="total cases (all readers)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per case")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    seeds = seed_files()
    counts = {t: collections.Counter() for t in FUZZ_TARGETS}
    failures = []
    signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(args.cases):
            target = sorted(FUZZ_TARGETS)[case % len(FUZZ_TARGETS)]
            seed = seeds[target]
            cut = rng.randrange(len(seed) + 1) if rng.random() < 0.4 else None
            span = 4096 if target == "hdf5" and rng.random() < 0.8 else len(seed)
            edits = [(rng.randrange(span), rng.randrange(256)) for _ in range(rng.randrange(7))]
            folder = Path(tmp) / str(case)
            folder.mkdir()
            signal.setitimer(signal.ITIMER_REAL, args.timeout)
            try:
                outcome = FUZZ_TARGETS[target](folder, mutate(seed, cut, edits))
            except _Hang:
                outcome = "FAIL: hang"
            except Exception as e:  # noqa: BLE001 - counting is the point
                outcome = f"FAIL: {type(e).__name__}"
                failures.append((target, cut, edits, traceback.format_exc(limit=3)))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            counts[target][outcome] += 1
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()
    elapsed = time.perf_counter() - start
    print(f"{args.cases} cases in {elapsed:.1f} s (seed {args.seed})")
    for target, c in counts.items():
        print(f"  {target:7s} " + ", ".join(f"{k}: {v}" for k, v in sorted(c.items())))
    for target, cut, edits, tb in failures[:5]:
        print(f"\nFAILURE in {target}: truncate_at={cut} edits={edits}\n{tb}")
    n_fail = sum(v for c in counts.values() for k, v in c.items() if k.startswith("FAIL"))
    print(f"failures: {n_fail}")
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
