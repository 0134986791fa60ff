"""Shared test settings: where the real ECG data lives, and CPU-only thread limits."""

from pathlib import Path

import pytest
import torch

#: Real recordings shared beside the repository (never copied into it).
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# Two xdist workers on two cores: one thread each avoids oversubscription.
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; skips the test with a reason when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared ECG data not found at {SHARED_DATA}")
    return SHARED_DATA
