"""The int8 path: ONNX Runtime static quantisation against float32, accuracy and speed, one run.

A PTB-XL superclass model (the default recipe, ``--n-networks`` members, folds
1-8 of the bundled sample; reused from ``--model`` when it exists, e.g. the
source model of ``bench_finetune.py``) is exported as float32 ONNX and as int8
(calibrated on ``--calibration`` training records). Macro-AUROC on folds 9-10 of
both graphs, and batch-64 throughput of both at 12 x 1000 and 12 x 4096 (medians
of ``--repeats``), with 1 and 2 ONNX Runtime threads::

    .venv/bin/python benchmarks/bench_int8.py --model results/finetune_source --out results/int8.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np


def _session(path: str, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def _throughput(session, x: np.ndarray, repeats: int) -> float:
    session.run(None, {"ecg": x})  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        session.run(None, {"ecg": x})
        times.append(time.perf_counter() - start)
    return len(x) / statistics.median(times)


def main(argv=None) -> None:
    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.datasets import load_ptbxl_sample
    from sktime_ecoscale.metrics import auroc

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("results/finetune_source"))
    parser.add_argument("--n-networks", type=int, default=1)
    parser.add_argument("--calibration", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("results/int8.json"))
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    X, Y, meta = load_ptbxl_sample(target="superclass", return_metadata=True)
    train = (meta["strat_fold"] <= 8).to_numpy()
    if (args.model / "config.json").is_file():
        clf = EcoScaleClassifier.load_model(args.model, device="cpu")
    else:
        clf = EcoScaleClassifier(n_networks=args.n_networks, random_state=0)
        clf.fit(X[train], Y[train].reset_index(drop=True)).save_model(args.model)
    rng = np.random.default_rng(0)
    calib = X[train][rng.permutation(int(train.sum()))[: args.calibration]]
    Xt, Yt = X[~train], Y[~train].reset_index(drop=True)
    record = {"model": str(args.model), "calibration_records": len(calib)}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {
            "fp32": clf.export_onnx(Path(tmp) / "fp32.onnx"),
            "int8": clf.export_onnx(Path(tmp) / "int8.onnx", quantize="int8", calibration_X=calib),
        }
        xin = clf.prepare_input(Xt)
        sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731  (5 sigmoid heads, in label order)
        scores = {k: sigmoid(_session(p, 2).run(None, {"ecg": xin})[0]) for k, p in paths.items()}
        for k, s in scores.items():
            record[f"auroc_{k}"] = float(auroc(Yt, s))
        record["auroc_change"] = record["auroc_int8"] - record["auroc_fp32"]
        record["max_abs_probability_change"] = float(np.abs(scores["int8"] - scores["fp32"]).max())
        record["file_bytes"] = {k: Path(p).stat().st_size for k, p in paths.items()}
        for length in (1000, 4096):
            x = np.random.default_rng(1).normal(size=(64, 12, length)).astype(np.float32)
            for threads in (1, 2):
                for k, p in paths.items():
                    rate = _throughput(_session(p, threads), x, args.repeats)
                    record[f"ecg_per_s_{k}_12x{length}_{threads}thr"] = rate
                record[f"speedup_12x{length}_{threads}thr"] = (
                    record[f"ecg_per_s_int8_12x{length}_{threads}thr"]
                    / record[f"ecg_per_s_fp32_12x{length}_{threads}thr"]
                )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
