"""Tests of the readers, lazy data sets and generator in sktime_ecoscale.datasets."""

import shutil
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from sktime_ecoscale.datasets import (
    CODE15_LABELS,
    ChallengeDataset,
    Code15Dataset,
    PTBXLDataset,
    load_code15,
    load_dataset,
    load_physionet_challenge,
    load_ptbxl,
    load_ucr_uea,
    make_code15_like,
    open_dataset,
    read_header,
    read_mat_v4,
    read_record,
)
from sktime_ecoscale.datasets._spec import parse_spec
from sktime_ecoscale.utils import prepare_series

FIGURES = {"NORM": 297, "MI": 73, "STTC": 96, "CD": 78, "HYP": 40}


@pytest.fixture(scope="module")
def ptbxl(shared_data):
    """The shared PTB-XL subset (the tests skip without ``../shared/data``)."""
    return shared_data / "ptbxl"


@pytest.fixture(scope="module")
def cinc(shared_data):
    """The shared PhysioNet/CinC 2021 records."""
    return shared_data / "cinc2021"


@pytest.fixture(scope="module")
def code15_dir(tmp_path_factory):
    return make_code15_like(tmp_path_factory.mktemp("code15"), n_exams=30, n_parts=3, seed=1)


# ---------------------------------------------------------------- PTB-XL
@pytest.mark.parametrize("rate, length", [(100, 1000), (500, 5000)])
def test_ptbxl_superclass_figures(rate, length, ptbxl):
    X, y = load_ptbxl(ptbxl, sampling_rate=rate)
    assert X.shape == (500, 12, length) and X.dtype == np.float32
    assert list(y.columns) == list(FIGURES)
    assert y.sum().to_dict() == FIGURES
    # record 1, lead I starts at the header's initial value (ADC units, 1000/mV)
    sub = "records100/00000/00001_lr" if rate == 100 else "records500/00000/00001_hr"
    init = int((ptbxl / f"{sub}.hea").read_text().splitlines()[1].split()[5])
    assert X[0, 0, 0] == pytest.approx(init / 1000)


def test_ptbxl_norm_folds_metadata(ptbxl):
    X, y, meta = load_ptbxl(ptbxl, target="norm", folds=[9, 10], return_metadata=True)
    assert X.shape[0] == len(y) == len(meta) == 147
    assert set(meta["strat_fold"]) == {9, 10}
    _, y_all = load_ptbxl(ptbxl, target="norm")
    assert (y_all == "NORM").sum() == 297 and (y_all == "other").sum() == 203
    assert {"ecg_id", "patient_id", "age", "sex", "baseline_drift", "static_noise",
            "burst_noise", "electrodes_problems"} <= set(meta.columns)  # fmt: skip
    assert meta["baseline_drift"].dtype == bool


def test_ptbxl_targets_and_return_types(ptbxl):
    _, y = load_ptbxl(ptbxl, target="scp", folds=[3])
    assert y.shape == (34, 71) and set(np.unique(y)) <= {0, 1}
    _, y_strict = load_ptbxl(ptbxl, min_likelihood=100)
    assert (y_strict.sum() <= pd.Series(FIGURES)).all() and y_strict["MI"].sum() < 73
    Xn, _ = load_ptbxl(ptbxl, folds=[3], return_type="nested_univ")
    assert Xn.shape == (34, 12)
    Xm, _ = load_ptbxl(ptbxl, folds=[3], return_type="pd-multiindex")
    assert Xm.shape == (34 * 1000, 12)
    with pytest.raises(ValueError, match="sampling_rate"):
        load_ptbxl(ptbxl, sampling_rate=250)


@pytest.mark.parametrize("target", ["superclass", "norm"])
def test_ptbxl_lazy_matches_reader(target, ptbxl):
    X, y = load_ptbxl(ptbxl, target=target, folds=[1, 2])
    ds = PTBXLDataset(ptbxl, target=target, folds=[1, 2])
    assert len(ds) == len(X) and (ds.n_channels, ds.seq_len) == (12, 1000)
    for i in range(len(ds)):
        x, yi = ds[i]
        np.testing.assert_array_equal(x, X[i])
        if target == "norm":
            assert yi.dtype == np.int64 and ds.classes[yi] == y[i]
        else:
            np.testing.assert_array_equal(yi, y.iloc[i].to_numpy(np.float32))
    assert ds.multilabel == (target != "norm")


# ---------------------------------------------------------------- Challenge
def test_challenge_all_records(cinc):
    X, y, meta = load_physionet_challenge(cinc, return_metadata=True)
    assert len(X) == len(y) == 54
    shapes = dict(zip(meta["record"], [x.shape for x in X]))
    assert shapes["A1041"] == (12, 8500)  # 17 s at 500 Hz
    assert shapes["A0689"] == shapes["JS01048"] == (12, 5000)  # dated headers
    assert "AF" in y.columns and y.to_numpy().sum(axis=1).min() >= 1
    assert all(x.dtype == np.float32 for x in X)
    assert X[0][0, 0] == pytest.approx(-0.047)  # A0689 lead I, ADC -47 / 1000


def test_challenge_padding_and_labels(cinc):
    X, y = load_physionet_challenge(cinc, length="max", return_type="numpy3D")
    assert X.shape == (54, 12, 8500)
    X, _ = load_physionet_challenge(cinc, length=5000, return_type="numpy3D")
    assert X.shape == (54, 12, 5000)
    with pytest.raises(ValueError, match="unequal lengths"):
        load_physionet_challenge(cinc, return_type="numpy3D")
    _, yc = load_physionet_challenge(cinc, records=["A0689"], label_names="code")
    assert list(yc.columns) == ["164889003"]
    _, yf = load_physionet_challenge(cinc, records=["A0689"], classes=["AF", "RBBB"])
    assert yf.to_numpy().tolist() == [[1, 0]]


def test_challenge_lazy_matches_reader(cinc):
    # the raw signals are the reader's records; items are those through the input rule
    X, y = load_physionet_challenge(cinc)
    ds = ChallengeDataset(cinc)
    assert len(ds) == 54 and ds.seq_len == 8500 and ds.classes == list(y.columns)
    np.testing.assert_array_equal(ds.labels(), y.to_numpy(np.float32))
    for i in range(len(ds)):
        np.testing.assert_array_equal(ds.raw(i), X[i])
        np.testing.assert_array_equal(ds[i][0], prepare_series(X[i], ds.seq_len))


def test_wfdb_header_with_date(cinc):
    h = read_header(cinc / "A0689.hea")
    assert (h.n_sig, h.fs, h.sig_len) == (12, 500.0, 5000)
    assert h.sig_names[:3] == ["I", "II", "III"]
    assert h.comment_fields()["Dx"] == "164889003"
    assert read_mat_v4(cinc / "A0689.mat").shape == (12, 5000)


def test_mat_v4_reads_the_stored_samples_of_every_challenge_record(cinc):
    # independent of scipy: a v4 header of 20 bytes + "val\0", then int16 column-major,
    # which is the "16+24" byte offset of the WFDB headers
    for mat in sorted(cinc.glob("*.mat")):
        raw = mat.read_bytes()
        n_leads, n_samples = np.frombuffer(raw[4:12], "<i4")
        expected = np.frombuffer(raw, "<i2", offset=24).reshape(n_samples, n_leads).T
        got = read_mat_v4(mat)
        assert got.dtype == np.int16, mat.name
        np.testing.assert_array_equal(got, expected, err_msg=mat.name)


def _as_mat_v5(raw: bytes) -> bytes:
    """The same matrix, written as MATLAB v5 (which WFDB does not use)."""
    import io

    from scipy.io import savemat

    buf = io.BytesIO()
    savemat(buf, {"val": np.frombuffer(raw, "<i2", offset=24)}, format="5")
    return buf.getvalue()


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (lambda raw: raw[:4000], "truncated"),
        (lambda raw: raw[:10], "truncated"),
        (lambda raw: _as_mat_v5(raw), "v5"),
        (lambda raw: np.array([9990], "<i4").tobytes() + raw[4:], "corrupt"),  # bad type field
        (lambda raw: np.array([31], "<i4").tobytes() + raw[4:], "real numeric"),  # a text matrix
        (lambda raw: raw[:20] + b"vol\0" + raw[24:], "'val' not found"),
    ],
    ids=["truncated-data", "truncated-header", "v5", "type-field", "text", "name"],
)
def test_mat_v4_errors_name_the_file(record_copy, corrupt, message):
    mat = record_copy / "A0689.mat"
    mat.write_bytes(corrupt(mat.read_bytes()))
    with pytest.raises(ValueError, match=f"A0689.mat: .*{message}"):
        read_mat_v4(mat)


# ---------------------------------------------------------------- CODE-15
def test_code15_reader(code15_dir):
    X, y, meta = load_code15(code15_dir, return_metadata=True)
    assert X.shape == (30, 12, 4096) and X.dtype == np.float32
    assert list(y.columns) == CODE15_LABELS and set(np.unique(y)) <= {0, 1}
    table = pd.read_csv(code15_dir / "exams.csv").set_index("exam_id")
    expected = table.loc[meta["exam_id"], CODE15_LABELS].astype(int).to_numpy()
    np.testing.assert_array_equal(y.to_numpy(), expected)
    with h5py.File(code15_dir / "exams_part0.hdf5") as f:
        np.testing.assert_array_equal(X[0], f["tracings"][0].T)
    # centred padding: 7 s or 10 s of signal in the middle
    assert np.all(X[:, :, :48] == 0) and np.all(X[:, :, -48:] == 0)


def test_code15_selection_and_trim(code15_dir):
    _, _, meta = load_code15(code15_dir, return_metadata=True)
    X1, y1, m1 = load_code15(code15_dir, parts=[1], return_metadata=True)
    assert set(m1["trace_file"]) == {"exams_part1.hdf5"} and len(X1) == 10
    ids = meta["exam_id"].iloc[[25, 3]].tolist()
    Xe, _, me = load_code15(code15_dir, exam_ids=ids, return_metadata=True)
    assert sorted(me["exam_id"]) == sorted(ids) and Xe.shape == (2, 12, 4096)
    Xt, _ = load_code15(code15_dir, remove_padding="trim")
    assert {x.shape[1] for x in Xt} <= {2800, 4000}
    with pytest.raises(ValueError, match="not found"):
        load_code15(code15_dir, exam_ids=[-5])


def test_code15_lazy_matches_reader_and_shards(code15_dir):
    X, y = load_code15(code15_dir)
    ds = Code15Dataset(code15_dir)
    assert (len(ds), ds.n_channels, ds.seq_len, ds.multilabel) == (30, 12, 4096, True)
    for i in range(len(ds)):
        x, yi = ds[i]
        np.testing.assert_array_equal(x, X[i])
        assert yi.dtype == np.float32
        np.testing.assert_array_equal(yi, y.iloc[i].to_numpy(np.float32))
    np.testing.assert_array_equal(ds.labels(), y.to_numpy(np.float32))
    for world in (1, 3, 4):
        shards = [ds.shard(r, world) for r in range(world)]
        seen = np.concatenate([s.indices for s in shards])
        assert sorted(seen.tolist()) == list(range(len(ds)))
        np.testing.assert_array_equal(shards[-1][0][0], X[world - 1])
    ds.close()


def test_code15_lazy_in_dataloader_workers(code15_dir):
    from torch.utils.data import DataLoader

    ds = Code15Dataset(code15_dir, parts=[0])
    ds[0]  # opens a handle in this process; workers must not inherit it
    batches = list(DataLoader(ds, batch_size=4, num_workers=2))
    assert sum(len(b[0]) for b in batches) == len(ds) == 10
    assert tuple(batches[0][0].shape) == (4, 12, 4096)


# ---------------------------------------------------------------- UCR/UEA, specs
@pytest.mark.parametrize(
    "rel, split, shape",
    [
        ("ucr/ECG200", "train", (100, 1, 96)),
        ("ucr/TwoLeadECG", "test", (1139, 1, 82)),
        ("uea/AtrialFibrillation", "test", (15, 2, 640)),
        ("uea/StandWalkJump/StandWalkJump_TRAIN.ts", "train", (12, 4, 2500)),
    ],
)
def test_ucr_uea(rel, split, shape, shared_data):
    X, y = load_ucr_uea(shared_data / rel, split=split)
    assert X.shape == shape and X.dtype == np.float32 and len(y) == shape[0]


def test_ucr_by_name(shared_data):
    X, _ = load_ucr_uea("ECG200", split="test", data_home=shared_data / "ucr")
    assert X.shape == (100, 1, 96)
    with pytest.raises(FileNotFoundError, match="NoSuchSet"):
        load_ucr_uea("NoSuchSet", data_home=shared_data / "ucr")


def test_specs(code15_dir, tmp_path):
    assert parse_spec(f"code15:{code15_dir}") == ("code15", code15_dir)
    assert parse_spec(code15_dir) == ("code15", code15_dir)
    assert parse_spec("x/y_TRAIN.ts") == ("ts", Path("x/y_TRAIN.ts"))
    ds = open_dataset(str(code15_dir), parts=[2])
    assert len(ds) == 10
    X, y = load_dataset(f"code15:{code15_dir}", parts=[2])
    assert X.shape == (10, 12, 4096)
    with pytest.raises(ValueError, match="kind"):
        parse_spec(tmp_path)
    with pytest.raises(FileNotFoundError):
        parse_spec(tmp_path / "missing")


def test_specs_shared_data(ptbxl, cinc, shared_data):
    assert open_dataset(f"ptbxl:{ptbxl}", folds=[10]).seq_len == 1000
    assert len(open_dataset(cinc)) == 54
    ds = open_dataset(f"ts:{shared_data / 'ucr' / 'ECG200'}", split="test")
    assert (len(ds), ds.n_channels, ds.seq_len, ds.multilabel) == (100, 1, 96, False)
    X, _ = load_dataset(cinc)
    assert X.shape == (54, 12, 8500)


# ---------------------------------------------------------------- errors
@pytest.fixture
def record_copy(tmp_path, ptbxl, cinc):
    """A writable copy of one PTB-XL and one Challenge record."""
    for f in ("00001_lr.hea", "00001_lr.dat"):
        shutil.copy(ptbxl / "records100" / "00000" / f, tmp_path / f)
    for f in ("A0689.hea", "A0689.mat"):
        shutil.copy(cinc / f, tmp_path / f)
    return tmp_path


def test_errors_missing_files(record_copy, tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.hea"):
        read_record(tmp_path / "nothing")
    (record_copy / "00001_lr.dat").unlink()
    with pytest.raises(FileNotFoundError, match="00001_lr.dat"):
        read_record(record_copy / "00001_lr.hea")
    with pytest.raises(FileNotFoundError, match="ptbxl_database.csv"):
        load_ptbxl(tmp_path)
    with pytest.raises(FileNotFoundError, match="exams.csv"):
        load_code15(tmp_path)


def test_errors_truncated_and_corrupt(record_copy):
    dat = record_copy / "00001_lr.dat"
    dat.write_bytes(dat.read_bytes()[:1000])
    with pytest.raises(ValueError, match=r"00001_lr.dat.*truncated"):
        read_record(record_copy / "00001_lr.hea")
    mat = record_copy / "A0689.mat"
    mat.write_bytes(mat.read_bytes()[:5000])
    with pytest.raises(ValueError, match=r"A0689.mat.*truncated"):
        read_record(record_copy / "A0689.hea")
    hea = record_copy / "A0689.hea"
    hea.write_text("A0689 twelve 500 5000\n")
    with pytest.raises(ValueError, match=r"A0689.hea.*corrupt"):
        read_record(hea)
    hea.write_text("A0689 2 500 5000\nA0689.mat 16+24 1000/mV 16 0 0 0 0 I\n")
    with pytest.raises(ValueError, match="2 signals, found 1"):
        read_header(hea)


def test_errors_code15_schema(code15_dir, tmp_path):
    bad = tmp_path / "c15"
    shutil.copytree(code15_dir, bad)
    with h5py.File(bad / "exams_part1.hdf5", "a") as f:
        del f["tracings"]
    with pytest.raises(ValueError, match=r"exams_part1.hdf5.*'tracings' missing"):
        load_code15(bad)
    (bad / "exams_part2.hdf5").write_bytes(b"not hdf5 at all")
    with pytest.raises(ValueError, match=r"exams_part2.hdf5.*not a readable HDF5"):
        load_code15(bad, parts=[2])
    with pytest.raises(FileNotFoundError, match="exams_part7.hdf5"):
        load_code15(bad, parts=[7])
    pd.read_csv(bad / "exams.csv").drop(columns="RBBB").to_csv(bad / "exams.csv")
    with pytest.raises(ValueError, match=r"exams.csv.*\['RBBB'\]"):
        load_code15(bad, parts=[0])


def test_truncated_hdf5_part(code15_dir, tmp_path):
    bad = tmp_path / "c15t"
    shutil.copytree(code15_dir, bad)
    part = bad / "exams_part0.hdf5"
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    with pytest.raises(ValueError, match="exams_part0.hdf5"):
        load_code15(bad, parts=[0])
