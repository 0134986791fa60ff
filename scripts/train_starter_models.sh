#!/usr/bin/env bash
# Train the starter models shipped in sktime_ecoscale/classification/pretrained/ and score them.
#
#   bash scripts/train_starter_models.sh [PTBXL_DIR] [OUT_DIR]
#
# PTBXL_DIR: the PTB-XL records in PhysioNet's layout (default ../shared/data/ptbxl, the
# 500-record subset the bundled sample comes from). Each model: the default
# EcoScaleClassifier recipe with one network (the ensemble rule would train three),
# seed 0, on folds 1-8 (353 records), 100 Hz and 500 Hz. Each is then scored on folds
# 9-10 (147 records) with `ecoscale predict --report`: the figures in the folder's
# README.md and docs/finetuning.md. Copy OUT_DIR/ptbxl-superclass-*/{config.json,
# model.safetensors} into the package folder to ship a retrained model.
set -euo pipefail
cd "$(dirname "$0")/.."
PTBXL=${1:-../shared/data/ptbxl}
OUT=${2:-results/starter_models}
ECOSCALE=${ECOSCALE:-.venv/bin/ecoscale}
mkdir -p "$OUT"
for rate in 100 500; do
    name=ptbxl-superclass-${rate}hz
    "$ECOSCALE" train --data "ptbxl:$PTBXL" --data-option target=superclass \
        --data-option "folds=[1,2,3,4,5,6,7,8]" --data-option sampling_rate=$rate \
        --networks 1 --random-state 0 --verbose 0 --out "$OUT/$name"
    for test_rate in 100 500; do
        "$ECOSCALE" predict --model "$OUT/$name" --data "ptbxl:$PTBXL" \
            --data-option target=superclass --data-option "folds=[9,10]" \
            --data-option sampling_rate=$test_rate \
            --out "$OUT/$name.test${test_rate}hz.csv" --report "$OUT/$name.test${test_rate}hz.md"
    done
done
