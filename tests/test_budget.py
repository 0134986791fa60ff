"""The training-budget rule resolves as documented, and explicit values win."""

import math

import numpy as np
import pytest

from sktime_ecoscale import EcoScaleClassifier, OmniScaleClassifier
from sktime_ecoscale.classification import TrainingBudget, training_budget
from sktime_ecoscale.classification._budget import (
    AUGMENTED_DROPOUT,
    AUGMENTED_LABEL_SMOOTHING,
    MAX_AUGMENTED_EPOCHS,
    MIN_EPOCHS,
    MIN_STEPS,
    WINDOW_AUGMENT,
    WINDOW_MAX_LENGTH,
    WINDOW_MIN_LENGTH,
)


def test_small_univariate_trains_long_narrow_with_window_augmentation_only():
    b = training_budget(23, 1, 82, 2)  # TwoLeadECG's training split
    assert b.batch_size == 8
    assert b.steps >= MIN_STEPS
    # windows alone neither cap the epochs nor bring dropout or label smoothing
    assert b.max_epochs == math.ceil(MIN_STEPS / math.ceil(23 / 8))
    assert b.widths == (8, 16, 32, 64)
    assert (b.dropout, b.label_smoothing, b.augment) == (0.0, 0.0, WINDOW_AUGMENT)
    assert WINDOW_AUGMENT["crop"] == 0.9 and WINDOW_AUGMENT["noise"] == 0.0


def test_the_step_rule_as_documented():
    assert MIN_STEPS == 2000
    # BasicMotions (40 series, batch 8): 5 steps per epoch, 400 epochs
    assert training_budget(40, 6, 100, 4).max_epochs == 400
    # from 100 steps per epoch (3,200 series at batch 32) on, the minimum epochs
    assert training_budget(3200, 1, 100, 2).max_epochs == MIN_EPOCHS
    assert training_budget(1600, 1, 100, 2).max_epochs == 2 * MIN_EPOCHS
    # one step per epoch (at most 8 series) still reaches the minimum
    assert training_budget(8, 1, 100, 2).steps == training_budget(3, 1, 100, 2).steps == 2000


def test_series_shorter_than_the_window_floor_are_not_augmented():
    assert training_budget(67, 1, 24, 2).augment is False  # ItalyPowerDemand
    assert training_budget(67, 1, WINDOW_MIN_LENGTH, 2).augment == WINDOW_AUGMENT


def test_the_window_augmentation_given_explicitly_counts_as_the_light_regime():
    b = training_budget(23, 1, 82, 2, augment=dict(WINDOW_AUGMENT))
    assert (b.dropout, b.max_epochs) == (0.0, training_budget(23, 1, 82, 2).max_epochs)


def test_twelve_lead_ecg_gets_full_width_and_augmentation():
    b = training_budget(353, 12, 1000, 2)
    assert (b.batch_size, b.widths, b.augment) == (32, (32, 64, 128, 256), True)
    # MIN_STEPS would be 167 epochs: augmented fits stop at MAX_AUGMENTED_EPOCHS
    assert math.ceil(MIN_STEPS / math.ceil(353 / 32)) > MAX_AUGMENTED_EPOCHS
    assert b.max_epochs == MAX_AUGMENTED_EPOCHS
    assert (b.dropout, b.label_smoothing) == (AUGMENTED_DROPOUT, AUGMENTED_LABEL_SMOOTHING)


def test_explicit_augmentation_brings_its_regularisation_and_explicit_values_win():
    b = training_budget(23, 1, 82, 2, augment=True)
    assert (b.dropout, b.label_smoothing, b.max_epochs) == (
        AUGMENTED_DROPOUT,
        AUGMENTED_LABEL_SMOOTHING,
        MAX_AUGMENTED_EPOCHS,
    )
    b = training_budget(353, 12, 1000, 2, augment=False)
    # without augmentation the step rule alone: 2000 steps of 12 per epoch
    assert (b.dropout, b.label_smoothing, b.max_epochs) == (0.0, 0.0, 167)


def test_multichannel_but_short_series_get_windows_not_the_strong_set():
    assert training_budget(500, 12, 100, 3).augment == WINDOW_AUGMENT
    assert training_budget(500, 12, WINDOW_MAX_LENGTH - 1, 3).augment == WINDOW_AUGMENT


def test_long_series_of_few_channels_are_not_augmented():
    assert WINDOW_MAX_LENGTH == 500
    assert training_budget(200, 1, 427, 6).augment == WINDOW_AUGMENT  # OSULeaf: windows
    b = training_budget(100, 1, 1460, 10)  # ACSF1: none, and the step rule's epochs
    assert (b.augment, b.dropout, b.max_epochs) == (False, 0.0, math.ceil(MIN_STEPS / 7))
    assert training_budget(500, 3, WINDOW_MAX_LENGTH, 3).augment is False
    # the strong set still starts at 8 channels and 500 samples
    assert training_budget(500, 8, WINDOW_MAX_LENGTH, 3).augment is True


def test_large_data_cost_grows_linearly_not_faster():
    small, large = training_budget(5_000, 12, 1000, 5), training_budget(50_000, 12, 1000, 5)
    assert small.max_epochs == large.max_epochs == MIN_EPOCHS
    assert large.steps / small.steps == pytest.approx(10, rel=0.01)


def test_widths_grow_with_the_data_and_stay_multiples_of_four():
    widths = [training_budget(n, 1, 100, 2).widths for n in (10, 40, 100, 200, 256, 5000)]
    firsts = [w[0] for w in widths]
    assert firsts == sorted(firsts) and firsts[0] == 8 and firsts[-1] == 32
    assert all(w[0] % 4 == 0 and w == tuple(w[0] * f for f in (1, 2, 4, 8)) for w in widths)


def test_explicit_values_win():
    b = training_budget(
        23,
        1,
        82,
        2,
        batch_size=4,
        max_epochs=7,
        widths=(4, 4, 8, 8),
        dropout=0.2,
        augment={"noise": 0.1},
        label_smoothing=0.05,
    )
    assert (b.batch_size, b.max_epochs, b.widths, b.dropout) == (4, 7, (4, 4, 8, 8), 0.2)
    assert (b.augment, b.label_smoothing, b.steps) == ({"noise": 0.1}, 0.05, 7 * 6)


@pytest.mark.parametrize("bad", [0, -1, 2.5, None])
def test_shape_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="n_series"):
        training_budget(bad, 1, 10, 2)


def test_round_trip_through_a_dict():
    b = training_budget(100, 2, 50, 3)
    assert TrainingBudget.from_dict(b.to_dict()) == b


def _data(n=24, channels=2, length=40, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, channels, length)).astype("float32"), np.array([0, 1] * (n // 2))


def test_fitted_estimator_shows_the_resolved_budget_and_uses_it():
    X, y = _data()
    clf = EcoScaleClassifier(max_epochs=2, device="cpu", random_state=0).fit(X, y)
    assert clf.budget_ == training_budget(24, 2, 40, 2, max_epochs=2)
    assert len(clf.history_) == 2
    assert clf.net_.batch_size == clf.budget_.batch_size == 8
    first_conv = next(m for m in clf.net_.module_.modules() if m.__class__.__name__ == "Conv1d")
    assert first_conv.out_channels == clf.budget_.widths[0] == 8
    assert clf.get_params()["widths"] == "auto"  # the parameter keeps its value


def test_explicit_estimator_parameters_win_over_the_rule():
    X, y = _data()
    clf = EcoScaleClassifier(
        max_epochs=1,
        batch_size=6,
        widths=(4, 4, 8, 8),
        dropout=0.1,
        augment=True,
        label_smoothing=0.1,
        device="cpu",
        random_state=0,
    ).fit(X, y)
    b = clf.budget_
    assert (b.max_epochs, b.batch_size, b.widths, b.dropout, b.augment, b.label_smoothing) == (
        1,
        6,
        (4, 4, 8, 8),
        0.1,
        True,
        0.1,
    )
    assert clf.net_.criterion_.losses[0].label_smoothing == 0.1


def test_omniscale_resolves_the_same_training_budget():
    X, y = _data()
    clf = OmniScaleClassifier(max_epochs=1, max_kernel=3, device="cpu", random_state=0).fit(X, y)
    assert (
        clf.budget_.batch_size == 8
        and clf.budget_.augment == training_budget(len(X), X.shape[1], X.shape[2], 2).augment
    )


@pytest.mark.parametrize("param", ["max_epochs", "batch_size"])
def test_auto_or_positive_int_only(param):
    X, y = _data()
    with pytest.raises(ValueError, match=param):
        EcoScaleClassifier(**{param: "many"}).fit(X, y)


@pytest.mark.parametrize(
    "length, halvings",
    [(24, 0), (30, 0), (31, 1), (82, 2), (150, 3), (257, 4), (960, 5), (961, 6), (4096, 6)],
)
def test_strides_keep_at_least_min_final_length_and_drop_the_earliest_halvings(length, halvings):
    from sktime_ecoscale.networks import ecoscale_strides, stage_downsampling
    from sktime_ecoscale.networks._kernels import MIN_FINAL_LENGTH

    strides = training_budget(40, 1, length, 2).strides
    assert strides == ecoscale_strides(length)
    assert strides.count(2) == halvings and strides == tuple(sorted(strides))  # ones first
    down = stage_downsampling(strides)[-1]
    assert down == 2**halvings
    assert math.ceil(length / down) >= MIN_FINAL_LENGTH or halvings == 0
    assert halvings == 6 or math.ceil(length / (2 * down)) < MIN_FINAL_LENGTH  # as many as fit


def test_the_network_is_built_with_the_budget_strides_and_explicit_strides_win():
    import torch

    X, y = _data(length=40)  # two halvings would leave 10 < 16 samples: one
    clf = EcoScaleClassifier(max_epochs=1, device="cpu", random_state=0).fit(X, y)
    assert clf.budget_.strides == (1, 1, 1, 1, 1, 2)
    # a few dozen series: the default is an ensemble of three such networks
    assert clf.budget_.n_networks == len(clf.net_.module_.members) == 3
    first = clf.net_.module_.members[0]
    features = first.stages(first.stem(torch.zeros(1, 2, 40)))
    assert features.shape[-1] == 20
    clf = EcoScaleClassifier(
        max_epochs=1, strides=(2, 2, 2, 2, 2, 2), n_networks=1, device="cpu", random_state=0
    ).fit(X, y)
    assert clf.budget_.strides == (2, 2, 2, 2, 2, 2)
    assert clf.net_.module_.stages(clf.net_.module_.stem(torch.zeros(1, 2, 40))).shape[-1] == 1


def test_model_files_without_strides_load_with_the_six_halvings_they_were_trained_with():
    legacy = training_budget(100, 2, 50, 3).to_dict()
    del legacy["strides"]
    assert TrainingBudget.from_dict(legacy).strides == (2, 2, 2, 2, 2, 2)


@pytest.mark.parametrize(
    "length, span", [(24, 6), (40, 10), (82, 16), (251, 16), (640, 20), (1000, 31)]
)
def test_kernel_span_covers_min_span_on_short_series_and_the_paper_span_on_long(length, span):
    from sktime_ecoscale.networks import ecoscale_kernel_span

    assert training_budget(50, 1, length, 2).kernel_span == ecoscale_kernel_span(length) == span
    assert training_budget(50, 1, length, 2, kernel_span=None).kernel_span is None  # explicit wins
    assert training_budget(50, 1, length, 2, kernel_span=3).kernel_span == 3
    with pytest.raises(ValueError, match="kernel_span must be"):
        training_budget(50, 1, length, 2, kernel_span=0)


def test_the_network_takes_the_budget_kernel_span_and_old_files_keep_the_paper_rule():
    from sktime_ecoscale.networks import ecoscale_kernel_lists, stage_downsampling

    X, y = _data(length=82)
    clf = EcoScaleClassifier(max_epochs=1, n_networks=1, device="cpu", random_state=0).fit(X, y)
    down = stage_downsampling(clf.budget_.strides)
    assert clf.net_.module_.kernel_lists == ecoscale_kernel_lists(
        82, span=16, stage_downsampling=down
    )
    assert max(clf.net_.module_.kernel_lists[0]) == 13  # primes up to 16; the paper's span gives 2
    paper = EcoScaleClassifier(max_epochs=1, n_networks=1, kernel_span=None, device="cpu").fit(X, y)
    assert paper.net_.module_.kernel_lists == ecoscale_kernel_lists(82, stage_downsampling=down)
    legacy = clf.budget_.to_dict()
    del legacy["kernel_span"]  # a model file from before the span rule
    assert TrainingBudget.from_dict(legacy).kernel_span is None
