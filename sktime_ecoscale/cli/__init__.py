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
    "explain": "sktime_ecoscale.cli._explain",
}


def build_parser() -> argparse.ArgumentParser:
    """Return the ``ecoscale`` argument parser with every available subcommand.

    Subcommands come from :data:`SUBCOMMANDS`; one whose module is not
    installed is left out.

    Returns
    -------
    argparse.ArgumentParser
        Parser whose parsed namespace carries ``run``, the subcommand's
        ``run(args) -> int``.

    Examples
    --------
    >>> from sktime_ecoscale.cli import build_parser
    >>> args = build_parser().parse_args(["profile", "--shape", "12x1000"])
    >>> args.command, args.shape
    ('profile', (12, 1000))
    """
    parser = argparse.ArgumentParser(
        prog="ecoscale", description="EcoScale-Net for ECG classification (sktime-ecoscale)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module_name in SUBCOMMANDS.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:  # a subcommand not written yet
            if err.name != module_name:
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ecoscale`` console script.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments without the program name; by default
        ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status of the subcommand (0 on success).

    Examples
    --------
    Train a tiny EcoScale-Net on sktime's UnitTest ``.ts`` file, then predict it:

    >>> import os, tempfile
    >>> import sktime
    >>> from sktime_ecoscale.cli import main
    >>> data = os.path.join(os.path.dirname(sktime.__file__), "datasets", "data",
    ...                     "UnitTest", "UnitTest_TRAIN.ts")
    >>> out = tempfile.mkdtemp()
    >>> main(["train", "--data", data, "--out", out + "/model", "--widths", "4,4,8,8",
    ...       "--max-epochs", "1", "--valid-size", "0", "--device", "cpu",
    ...       "--verbose", "0"])  # doctest: +ELLIPSIS
    trained EcoScaleClassifier on 20 records (0 held out), 1 epochs; saved to ...
    0
    >>> main(["predict", "--model", out + "/model", "--data", data,
    ...       "--out", out + "/pred.csv"])  # doctest: +ELLIPSIS
    predicted 20 records with EcoScaleClassifier; written: ...pred.csv
    0
    """
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
