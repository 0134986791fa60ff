"""Hypothesis fuzzing of the WFDB header parser, MATLAB v4 and HDF5 readers.

Every corrupted or truncated input must end in a correct read or in one of
our clear exceptions naming the file; see ``fuzz_harness.py`` beside this file.
``benchmarks/fuzz_readers.py`` runs the same harness with >= 10,000 cases.
"""

import tempfile
from pathlib import Path

import pytest
from fuzz_harness import FUZZ_TARGETS, mutate, seed_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sktime_ecoscale.datasets._wfdb import parse_header

SEEDS = seed_files()
SETTINGS = settings(max_examples=100, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("target", sorted(FUZZ_TARGETS))
def test_seeds_read_cleanly(target):
    with tempfile.TemporaryDirectory() as d:
        assert FUZZ_TARGETS[target](Path(d), SEEDS[target]) == "ok"


@pytest.mark.parametrize("target", sorted(FUZZ_TARGETS))
@SETTINGS
@given(data=st.data())
def test_fuzz_reader(target, data):
    seed = SEEDS[target]
    cut = data.draw(st.none() | st.integers(0, len(seed)), label="truncate_at")
    # For HDF5 aim most edits at the metadata near the start of the file.
    limit = 4096 if target == "hdf5" else len(seed)
    edits = data.draw(st.lists(st.tuples(st.integers(0, limit), st.integers(0, 255)), max_size=6))
    with tempfile.TemporaryDirectory() as d:
        outcome = FUZZ_TARGETS[target](Path(d), mutate(seed, cut, edits))
    assert outcome in {"ok", "ValueError", "FileNotFoundError"}


@settings(max_examples=100, deadline=500)
@given(st.text(max_size=400))
def test_fuzz_header_text(text):
    try:
        h = parse_header(text, "fuzz.hea")
    except ValueError as e:
        assert "fuzz.hea" in str(e)
    else:
        assert h.n_sig == len(h.signals) and h.sig_len >= 0
