"""The ``ecoscale`` command: thin subcommands over the Python API.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and
``run(args) -> int``; this module only assembles them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "build_parser"]

#: Subcommand name -> module implementing it.
SUBCOMMANDS = {
    "train": "sktime_ecoscale.cli._train",
    "predict": "sktime_ecoscale.cli._predict",
    "profile": "sktime_ecoscale.cli._profile",
    "benchmark": "sktime_ecoscale.cli._benchmark",
}


def build_parser() -> argparse.ArgumentParser:
    """Return the ``ecoscale`` argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="ecoscale", description="EcoScale-Net for ECG classification (sktime-ecoscale)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module_name in SUBCOMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:  # a subcommand not written yet
            if err.name != module_name:
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ecoscale`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
