"""``python -m sktime_ecoscale.cli``: the ``ecoscale`` command without the console script.

Launchers start a module, not a console script:
``torchrun --nproc_per_node 2 -m sktime_ecoscale.cli train ...``.
"""

import sys

from sktime_ecoscale.cli import main

if __name__ == "__main__":
    sys.exit(main())
