"""ECG data readers, lazy (out-of-core) data sets and synthetic data generators."""

__all__ = [
    "load_ptbxl",
    "load_ptbxl_sample",
    "load_code15",
    "load_physionet_challenge",
    "load_ucr_uea",
    "load_dataset",
    "open_dataset",
    "ECGDataset",
    "ArrayDataset",
    "DatasetView",
    "Code15Dataset",
    "WFDBFolderDataset",
    "PTBXLDataset",
    "ChallengeDataset",
    "make_code15_like",
    "make_lead_bump_task",
    "read_record",
    "read_header",
    "read_mat_v4",
    "CODE15_LABELS",
    "PTBXL_SUPERCLASSES",
]

from sktime_ecoscale.datasets._challenge import load_physionet_challenge
from sktime_ecoscale.datasets._code15 import CODE15_LABELS, load_code15
from sktime_ecoscale.datasets._generate import make_code15_like, make_lead_bump_task
from sktime_ecoscale.datasets._lazy import (
    ChallengeDataset,
    Code15Dataset,
    PTBXLDataset,
    WFDBFolderDataset,
)
from sktime_ecoscale.datasets._protocol import ArrayDataset, DatasetView, ECGDataset
from sktime_ecoscale.datasets._ptbxl import PTBXL_SUPERCLASSES, load_ptbxl
from sktime_ecoscale.datasets._sample import load_ptbxl_sample
from sktime_ecoscale.datasets._spec import load_dataset, open_dataset
from sktime_ecoscale.datasets._ucr import load_ucr_uea
from sktime_ecoscale.datasets._wfdb import read_header, read_mat_v4, read_record
