"""Fine-tuning (init_model): new head, backbone copied, leads mapped by name, saved like any model."""

import numpy as np
import pandas as pd
import pytest
import torch

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification import load_model
from sktime_ecoscale.networks import transfer_backbone

TINY = dict(widths=(4, 8, 8, 8), n_networks=1, batch_size=8, device="cpu", random_state=0)
LEADS = ["I", "II", "III", "aVR"]


def _data(n=24, channels=4, length=96, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, channels, length)).astype(np.float32)
    y = np.array(["a", "b", "c"] * (n // 3))
    X[y == "b", 0] += np.sin(np.linspace(0, 6, length)).astype(np.float32)
    return X, y


@pytest.fixture(scope="module")
def source():
    X, y = _data()
    return EcoScaleClassifier(max_epochs=3, leads=LEADS, **TINY).fit(X, y)


def _stem(clf):
    return clf.net_.module_.stem[0][0].weight.detach()


def test_new_head_and_backbone_copied_before_training(source):
    X, _ = _data(seed=1)
    y = pd.DataFrame({"x": [0, 1] * 12, "z": [1, 1, 0] * 8})  # multi-label: 2 new outputs
    clf = EcoScaleClassifier(
        init_model=source, max_epochs=1, lr=1e-12, **{**TINY, "widths": "auto"}
    )
    clf.fit(X, y)
    assert clf.net_.module_.head[-1].out_features == 2  # one logit per label
    assert clf.budget_.widths == source.budget_.widths  # the source's architecture, not the rule's
    # lr 1e-12: after one epoch the backbone still equals the source's weights
    src, dst = source.net_.module_.state_dict(), clf.net_.module_.state_dict()
    for name, value in dst.items():
        if name.startswith("head"):
            continue
        if "running" in name or "num_batches" in name:  # batch-norm statistics follow the new data
            continue
        torch.testing.assert_close(value, src[name], rtol=0, atol=1e-6, msg=name)


def test_leads_map_by_name_new_lead_starts_from_the_mean(source):
    X, y = _data(channels=3, seed=2)
    clf = EcoScaleClassifier(init_model=source, leads=["ii", "I", "V1"], max_epochs=1, **TINY)
    target = EcoScaleClassifier(leads=["ii", "I", "V1"], **TINY)
    from sktime_ecoscale.classification._finetune import lead_channel_map

    assert lead_channel_map(source, target, 3) == [1, 0, None]
    clf.fit(X, y)  # trains end to end on 3 leads
    assert clf.net_.module_.stem[0][0].weight.shape[1] == 3
    src_stem = _stem(source)
    fresh = type(source.net_.module_)(
        3,
        3,
        96,
        widths=(4, 8, 8, 8),
        strides=source.budget_.strides,
        kernel_lists=source.net_.module_.kernel_lists,
    )
    transfer_backbone(source.net_.module_, fresh, [1, 0, None])
    w = fresh.stem[0][0].weight.detach()
    torch.testing.assert_close(w[:, 0], src_stem[:, 1])
    torch.testing.assert_close(w[:, 1], src_stem[:, 0])
    torch.testing.assert_close(w[:, 2], src_stem.mean(dim=1))


def test_channel_count_mismatch_without_names_is_a_clear_error(source):
    X, y = _data(channels=2, seed=3)
    with pytest.raises(
        ValueError, match="trained on 4 channels and the data has 2; name the leads"
    ):
        EcoScaleClassifier(init_model=source, max_epochs=1, **TINY).fit(X, y)
    with pytest.raises(ValueError, match="none of the leads"):
        EcoScaleClassifier(init_model=source, leads=["V5", "V6"], max_epochs=1, **TINY).fit(X, y)
    with pytest.raises(ValueError, match="init_model must be None"):
        EcoScaleClassifier(init_model=3, max_epochs=1, **TINY).fit(X, y)
    with pytest.raises(ValueError, match="not fitted"):
        EcoScaleClassifier(init_model=EcoScaleClassifier(), max_epochs=1, **TINY).fit(X, y)


def test_explicit_other_width_fails_naming_the_tensor(source):
    X, y = _data(seed=4)
    clf = EcoScaleClassifier(init_model=source, max_epochs=1, **{**TINY, "widths": (8, 8, 8, 8)})
    with pytest.raises(ValueError, match="widths, kernels or depth differ"):
        clf.fit(X, y)


def test_freeze_epochs_keep_the_backbone_and_lr_scale_slows_it(source):
    X, y = _data(seed=5)
    frozen = EcoScaleClassifier(init_model=source, freeze_epochs=2, max_epochs=2, **TINY).fit(X, y)
    torch.testing.assert_close(_stem(frozen), _stem(source), rtol=0, atol=0)
    assert not torch.equal(frozen.net_.module_.head[-1].weight, source.net_.module_.head[-1].weight)
    moved = {}
    for scale in (1.0, 0.01):
        clf = EcoScaleClassifier(init_model=source, backbone_lr_scale=scale, max_epochs=2, **TINY)
        moved[scale] = float((_stem(clf.fit(X, y)) - _stem(source)).abs().max())
    assert moved[0.01] < 0.2 * moved[1.0]


def test_fine_tuned_model_saves_loads_and_exports(source, tmp_path):
    X, y = _data(length=120, seed=6)  # another length: the kernels stay the source's
    clf = EcoScaleClassifier(init_model=source, leads=LEADS, max_epochs=1, **TINY).fit(X, y)
    path = clf.save_model(tmp_path / "model.zip")
    back = load_model(path, device="cpu")
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    assert back.init_model is None and back.leads == LEADS
    onnx_path = clf.export_onnx(tmp_path / "model.onnx")
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    logits = session.run(None, {session.get_inputs()[0].name: clf.prepare_input(X)})[0]
    ref = clf._inference_module()(torch.from_numpy(clf.prepare_input(X))).detach().numpy()
    np.testing.assert_allclose(logits, ref, atol=1e-4)
    # the saved source works as init_model too
    src_path = source.save_model(tmp_path / "source")
    again = EcoScaleClassifier(init_model=str(src_path), max_epochs=1, **TINY).fit(X, y)
    assert again.predict(X).shape == (len(X),)


def test_fine_tuning_resumes_from_a_checkpoint(source, tmp_path):
    """A fitted estimator as init_model can be fingerprinted: the checkpoint resumes."""
    X, y = _data(seed=7)
    params = dict(init_model=source, max_epochs=2, checkpoint_dir=tmp_path / "ckpt", **TINY)
    first = EcoScaleClassifier(**params).fit(X, y)
    again = EcoScaleClassifier(**params).fit(X, y)  # finished run: restored, not retrained
    np.testing.assert_array_equal(again.predict_proba(X), first.predict_proba(X))
