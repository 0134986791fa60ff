"""Test settings: CPU-only thread limits.

Where the real ECG data live (``SHARED_DATA``, the ``shared_data`` fixture) is
defined once for the tests and the docstring examples alike, in the
repository's root ``conftest.py``.
"""

import torch

# Two xdist workers on two cores: one thread each avoids oversubscription.
torch.set_num_threads(1)
