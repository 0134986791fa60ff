"""The metrics against independent references.

scikit-learn where it has the metric (to 1e-12), hand-computed cases and the
published properties for the PhysioNet/CinC Challenge score, a brute-force
loop for F-max, and the input checks.
"""

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    fbeta_score,
    jaccard_score,
    make_scorer,
    roc_auc_score,
)
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import label_binarize

import sktime_ecoscale
from sktime_ecoscale import metrics
from sktime_ecoscale.metrics import (
    auprc,
    auroc,
    challenge_score,
    challenge_weights,
    f1_at_thresholds,
    f_beta,
    f_max,
    g_beta,
    scored_classes,
    scorer,
)

TOL = 1e-12
ROOT = Path(__file__).resolve().parents[1]


def _binary(n=300, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    s = np.round(y + rng.normal(0, 1.2, n), 1)  # rounded: many tied scores
    return y, s


def _multiclass(n=300, k=4, seed=1):
    rng = np.random.default_rng(seed)
    classes = np.array(["AF", "NORM", "MI", "STTC"][:k])
    y = classes[rng.integers(0, k, n)]
    logits = rng.normal(size=(n, k)) + 1.5 * (y[:, None] == np.sort(classes)[None, :])
    p = np.exp(np.round(logits, 1))
    return y, p / p.sum(axis=1, keepdims=True), list(np.sort(classes))


def _multilabel(n=300, k=5, seed=2):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, k)) < [0.1, 0.2, 0.3, 0.4, 0.5][:k]).astype(int)
    y[y.sum(axis=1) == 0, 0] = 1  # every record has a label (as PTB-XL's)
    s = np.round(1 / (1 + np.exp(-(1.5 * y + rng.normal(size=(n, k))))), 2)
    return y, s


# --- AUROC / AUPRC against sklearn ------------------------------------------------------


def test_binary_ranking_metrics_equal_sklearn():
    y, s = _binary()
    assert abs(auroc(y, s) - roc_auc_score(y, s)) < TOL
    assert abs(auprc(y, s) - average_precision_score(y, s)) < TOL
    two_columns = np.column_stack([1 - s, s])
    assert abs(auroc(y, two_columns) - roc_auc_score(y, s)) < TOL
    # string labels: the second of `labels` is the positive class
    names = np.where(y == 1, "abnormal", "normal")
    assert abs(auroc(names, s, labels=["normal", "abnormal"]) - roc_auc_score(y, s)) < TOL
    assert abs(auroc(names, s) - roc_auc_score(y, -s)) < TOL  # sorted: "normal" is positive


def test_multiclass_ranking_metrics_equal_sklearn():
    y, p, classes = _multiclass()
    ref = roc_auc_score(y, p, multi_class="ovr", average="macro", labels=classes)
    assert abs(auroc(y, p) - ref) < TOL
    onehot = label_binarize(y, classes=classes)
    per_class = auroc(y, p, average=None)
    assert list(per_class.index) == classes
    np.testing.assert_allclose(per_class, roc_auc_score(onehot, p, average=None), rtol=0, atol=TOL)
    np.testing.assert_allclose(
        auprc(y, p, average=None), average_precision_score(onehot, p, average=None), atol=TOL
    )
    assert abs(auprc(y, p) - average_precision_score(y, p, average="macro")) < TOL
    # another column order, told by labels=
    order = [2, 0, 3, 1]
    assert abs(auroc(y, p[:, order], labels=[classes[i] for i in order]) - ref) < TOL


def test_multilabel_ranking_metrics_equal_sklearn():
    y, s = _multilabel()
    assert abs(auroc(y, s) - roc_auc_score(y, s, average="macro")) < TOL
    assert abs(auprc(y, s) - average_precision_score(y, s, average="macro")) < TOL
    np.testing.assert_allclose(
        auroc(y, s, average=None), roc_auc_score(y, s, average=None), atol=TOL
    )
    np.testing.assert_allclose(
        auprc(y, s, average=None), average_precision_score(y, s, average=None), atol=TOL
    )


def test_sktime_multioutput_formats():
    y, s = _multilabel(k=3)
    names = ["NORM", "MI", "CD"]
    y_df = pd.DataFrame(y, columns=names)
    # sktime's predict_proba for multioutput: (label, class) columns
    cols = pd.MultiIndex.from_tuples([(c, k) for c in names for k in (0, 1)])
    proba = pd.DataFrame(
        np.column_stack([v for j in range(3) for v in (1 - s[:, j], s[:, j])]), columns=cols
    )
    ref = roc_auc_score(y, s, average=None)
    per_label = auroc(y_df, proba, average=None)
    assert list(per_label.index) == names
    np.testing.assert_allclose(per_label, ref, atol=TOL)
    # score columns in another order are matched by name
    shuffled = pd.DataFrame(s, columns=names)[["CD", "NORM", "MI"]]
    np.testing.assert_allclose(auroc(y_df, shuffled, average=None), ref, atol=TOL)
    # a one-column DataFrame is a single-label target
    yb, sb = _binary()
    assert abs(auroc(pd.DataFrame({"norm": yb}), sb) - roc_auc_score(yb, sb)) < TOL


def test_undefined_class_is_nan_and_left_out_of_the_macro_mean():
    y, s = _multilabel(k=3)
    y[:, 2] = 0
    with pytest.warns(UndefinedMetricWarning, match=r"\[2\]"):
        per_label = auroc(y, s, average=None)
    assert np.isnan(per_label[2])
    with pytest.warns(UndefinedMetricWarning):
        assert auroc(y, s) == pytest.approx(per_label[:2].mean(), abs=TOL)


# --- thresholded metrics ------------------------------------------------------------------


def test_f1_at_thresholds_equals_sklearn():
    y, s = _multilabel()
    thr = np.array([0.3, 0.4, 0.5, 0.6, 0.7])
    pred = (s >= thr).astype(int)
    assert abs(f1_at_thresholds(y, s, thr) - f1_score(y, pred, average="macro")) < TOL
    np.testing.assert_allclose(
        f1_at_thresholds(y, s, thr, average=None), f1_score(y, pred, average=None), atol=TOL
    )
    yb, sb = _binary()
    assert abs(f1_at_thresholds(yb, sb, 0.4) - f1_score(yb, sb >= 0.4)) < TOL
    # multi-class: per-class thresholds, one-vs-rest, given by name
    ym, p, classes = _multiclass()
    table = dict(zip(classes, [0.2, 0.3, 0.4, 0.5]))
    pred = (p >= np.array([table[c] for c in classes])).astype(int)
    ref = f1_score(label_binarize(ym, classes=classes), pred, average="macro")
    assert abs(f1_at_thresholds(ym, p, table) - ref) < TOL


def test_f_beta_equals_sklearn():
    ym, p, classes = _multiclass()
    pred = (p >= 0.3).astype(int)
    onehot = label_binarize(ym, classes=classes)
    # one label per record: the Challenge normalisation is 1, plain F-beta
    assert abs(f_beta(ym, p, 0.3) - fbeta_score(onehot, pred, beta=2, average="macro")) < TOL
    # multi-label: each record counts 1 / (its number of labels)
    y, s = _multilabel()
    weight = 1.0 / np.maximum(y.sum(axis=1), 1)
    pred = (s >= 0.5).astype(int)
    ref = fbeta_score(y, pred, beta=2, average=None, sample_weight=weight)
    np.testing.assert_allclose(f_beta(y, s, average=None), ref, atol=TOL)


def _official_g_beta(y, pred, beta):
    """The 2020 evaluation's compute_beta_measures, as loops."""
    out = []
    for k in range(y.shape[1]):
        tp = fp = fn = 0.0
        for i in range(len(y)):
            w = 1.0 / max(y[i].sum(), 1)
            tp += w * (y[i, k] and pred[i, k])
            fp += w * (not y[i, k] and pred[i, k])
            fn += w * (y[i, k] and not pred[i, k])
        out.append(tp / (tp + fp + beta * fn))
    return np.array(out)


def test_g_beta_against_jaccard_and_the_official_formula():
    y, s = _multilabel()
    pred = (s >= 0.5).astype(int)
    weight = 1.0 / np.maximum(y.sum(axis=1), 1)
    ref = jaccard_score(y, pred, average=None, sample_weight=weight)  # G-beta, beta = 1
    np.testing.assert_allclose(g_beta(y, s, beta=1, average=None), ref, atol=TOL)
    np.testing.assert_allclose(g_beta(y, s, average=None), _official_g_beta(y, pred, 2), atol=TOL)
    assert abs(g_beta(y, s) - _official_g_beta(y, pred, 2).mean()) < TOL


# --- F-max --------------------------------------------------------------------------------


def _brute_f_max(y, s, average):
    best = 0.0
    for t in np.unique(s):
        pred = s >= t
        tp = (pred & (y == 1)).sum(axis=1)
        if average == "samples":
            f = np.mean(
                [2 * a / (p + n) if p + n else 0.0 for a, p, n in zip(tp, pred.sum(1), y.sum(1))]
            )
        else:
            has_pred, has_label = pred.any(axis=1), y.any(axis=1)
            pr = np.mean(tp[has_pred] / pred.sum(axis=1)[has_pred])
            rc = np.mean(tp[has_label] / y.sum(axis=1)[has_label])
            f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        best = max(best, f)
    return best


@pytest.mark.parametrize("average", ["cafa", "samples"])
def test_f_max_equals_brute_force(average):
    y, s = _multilabel(n=120)
    y[:5] = 0  # records without labels: no recall, but their predictions count
    assert abs(f_max(y, s, average=average) - _brute_f_max(y, s, average)) < 1e-10


def test_f_max_references():
    y, s = _multilabel(n=120)
    grid = np.linspace(0, 1, 101)
    samples = max(f1_score(y, s >= t, average="samples", zero_division=0) for t in grid)
    assert abs(f_max(y, s, thresholds=grid, average="samples") - samples) < 1e-10
    # one binary column: CAFA's F-max is the best F1 of the positive class
    yb, sb = _binary()
    best = max(f1_score(yb, sb >= t) for t in np.unique(sb))
    value, at = f_max(yb, sb, return_threshold=True)
    assert abs(value - best) < 1e-10
    assert abs(f1_score(yb, sb >= at) - best) < 1e-10


# --- Challenge score ------------------------------------------------------------------------

AF, IAVB, NSR = "164889003", "270492004", "426783006"


def _challenge_data(n=200, seed=3):
    rng = np.random.default_rng(seed)
    codes = [AF, IAVB, NSR, "713427006|59118001", "164934002"]
    y = (rng.random((n, len(codes))) < 0.25).astype(int)
    return pd.DataFrame(y, columns=codes), rng


def test_challenge_score_perfect_is_one_and_always_normal_is_zero():
    y, rng = _challenge_data()
    assert challenge_score(y, y.to_numpy()) == pytest.approx(1.0, abs=TOL)
    normal = np.zeros(y.shape)
    normal[:, list(y.columns).index(NSR)] = 1
    assert challenge_score(y, normal) == pytest.approx(0.0, abs=TOL)
    noisy = np.clip(y.to_numpy() + rng.normal(0, 0.4, y.shape), 0, 1)
    assert 0 < challenge_score(y, noisy) < 1


def test_challenge_score_hand_computed():
    # weights of the official 2021 table: W[AF, AF] = W[NSR, NSR] = W[IAVB, IAVB] = 1,
    # W[AF, IAVB] = 0.3, W[AF, NSR] = 0.25, W[IAVB, NSR] = 0.45
    y = pd.DataFrame({AF: [1, 0, 1], NSR: [0, 1, 0], IAVB: [0, 0, 1]})
    decided = [[1, 0, 0], [1, 0, 0], [1, 0, 0]]  # AF for all three
    # record share: sum_{j true, k decided} W[j, k] / |true u decided|
    observed = 1 + 0.25 / 2 + (1 + 0.3) / 2
    correct = 1 + 1 + (1 + 0.3 + 0.3 + 1) / 2
    inactive = 0.25 / 2 + 1 + (0.25 + 0.45) / 3
    expected = (observed - inactive) / (correct - inactive)
    assert challenge_score(y, decided) == pytest.approx(expected, abs=TOL)
    # the same by abbreviation (load_physionet_challenge's default column names)
    named = y.rename(columns={AF: "AF", NSR: "NSR", IAVB: "IAVB"})
    assert challenge_score(named, decided) == pytest.approx(expected, abs=TOL)


def test_challenge_score_equivalent_classes_are_one_class():
    crbbb, rbbb = "713427006", "59118001"
    y = pd.DataFrame({rbbb: [1, 0, 1], crbbb: [0, 0, 0], NSR: [0, 1, 0]})
    swapped = [[0, 1, 0], [0, 0, 1], [0, 1, 0]]  # CRBBB decided for RBBB records
    assert challenge_score(y, swapped) == pytest.approx(1.0, abs=TOL)
    both = [[1, 1, 0], [0, 0, 1], [1, 1, 0]]  # both codes: still one class, no extra cost
    assert challenge_score(y, both) == pytest.approx(1.0, abs=TOL)
    with_unscored = y.assign(**{"251173003": [1, 0, 0]})  # atrial bigeminy: not scored
    assert challenge_score(with_unscored, np.c_[swapped, [0, 1, 1]]) == pytest.approx(1.0, abs=TOL)


def test_challenge_data_is_the_official_table():
    w = challenge_weights()
    assert w.shape == (26, 26) and list(w.index) == list(w.columns)
    assert np.array_equal(w.to_numpy(), w.to_numpy().T) and (np.diag(w) == 1).all()
    codes = {c for group in w.columns for c in group.split("|")}
    dx = scored_classes()
    assert set(dx["SNOMEDCTCode"]) == codes and len(codes) == 30
    assert w.loc[NSR, AF] == 0.25 and w.loc[AF, IAVB] == 0.3 and w.loc[IAVB, NSR] == 0.45
    readme = (ROOT / "sktime_ecoscale/metrics/data/README.md").read_text()
    assert "BSD 2-Clause" in readme and "physionetchallenges/evaluation-2021" in readme
    # shipped in wheel and sdist (tomllib is 3.11+: read the line itself)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"sktime_ecoscale.metrics" = ["data/*.csv", "data/*.md"]' in pyproject


def test_challenge_score_errors():
    y = pd.DataFrame({"foo": [1, 0], "bar": [0, 1]})
    with pytest.raises(ValueError, match="scored"):
        challenge_score(y, y.to_numpy())
    with pytest.raises(ValueError, match="normal_class"):
        challenge_score(
            pd.DataFrame({AF: [1, 0]}).assign(x=[0, 1]), [[1, 0], [0, 1]], normal_class="x1"
        )


# --- inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "y_true, y_score, kwargs, match",
    [
        ([0, 1, 1], [0.1, 0.2], {}, "3 records but y_score has 2"),
        ([0, 1], [0.1, np.nan], {}, "NaN"),
        ([[0, 2], [1, 0]], [[0.1, 0.2], [0.3, 0.4]], {}, "other than 0 and 1"),
        ([[0, 1], [1, 0]], [[0.1], [0.3]], {}, "2 label columns"),
        (["a", "b", "c"], [[0.1, 0.9], [0.3, 0.7], [0.5, 0.5]], {}, "2 columns but 3 classes"),
        (["a", "b", "c"], [0.1, 0.2, 0.3], {}, "binary"),
        (["a", "b"], [0.1, 0.2], {"labels": ["a", "c"]}, r"not in labels: \['b'\]"),
        (["a", "a"], [0.1, 0.2], {}, "one class only"),
        ([0, 1], [0.1, 0.2], {"average": "micro"}, "average must be"),
        ([], [], {}, "empty"),
        (np.zeros((2, 2, 2)), np.zeros((2, 2)), {}, "1-D labels or a 2-D"),
    ],
)
def test_bad_inputs_are_named(y_true, y_score, kwargs, match):
    with pytest.raises(ValueError, match=match):
        auroc(y_true, y_score, **kwargs)


def test_bad_thresholds_and_f_max_average():
    y, s = _multilabel(k=3)
    with pytest.raises(ValueError, match="one per column"):
        f1_at_thresholds(y, s, [0.5, 0.5])
    with pytest.raises(ValueError, match=r"no value for \[2\]"):
        f1_at_thresholds(y, s, {0: 0.5, 1: 0.5})
    with pytest.raises(ValueError, match="'cafa' or 'samples'"):
        f_max(y, s, average="macro")


# --- scikit-learn scorers and the package root ----------------------------------------------


def _classification(n=90, seed=4, classes=("a", "b", "c")):
    rng = np.random.default_rng(seed)
    y = np.array(classes)[rng.integers(0, len(classes), n)]
    X = rng.normal(size=(n, len(classes))) + (y[:, None] == np.array(classes)[None, :]) * 1.5
    return X, y


def test_scorers_in_cross_val_score():
    X, y = _classification(classes=("no", "yes"))
    model = LogisticRegression()
    ours = cross_val_score(
        model, X, y, cv=3, scoring=make_scorer(auroc, response_method="predict_proba")
    )
    np.testing.assert_allclose(
        ours, cross_val_score(model, X, y, cv=3, scoring="roc_auc"), atol=TOL
    )
    np.testing.assert_allclose(
        cross_val_score(model, X, y, cv=3, scoring=scorer("auroc")), ours, atol=TOL
    )
    X, y = _classification()
    ref = cross_val_score(model, X, y, cv=3, scoring="roc_auc_ovr")
    np.testing.assert_allclose(
        cross_val_score(model, X, y, cv=3, scoring=scorer(auroc)), ref, atol=TOL
    )
    f1_scorer = scorer(functools.partial(f1_at_thresholds, thresholds=0.4))
    assert np.isfinite(cross_val_score(model, X, y, cv=3, scoring=f1_scorer)).all()
    # a metric of one's own, without labels=, gets the probabilities only
    own = scorer(lambda y_true, proba: float(np.mean(proba.max(axis=1))))
    assert (cross_val_score(model, X, y, cv=3, scoring=own) > 1 / 3).all()


def test_scorer_knows_the_columns_of_a_fold_missing_a_class():
    X, y = _classification()
    model = LogisticRegression().fit(X, y)
    test = y != "c"  # the classifier still gives three probability columns
    with pytest.warns(UndefinedMetricWarning, match=r"\['c'\]"):
        value = scorer("auroc")(model, X[test], y[test])
    per_class = roc_auc_score(
        label_binarize(y[test], classes=["a", "b", "c"])[:, :2],
        model.predict_proba(X[test])[:, :2],
        average=None,
    )
    assert value == pytest.approx(per_class.mean(), abs=TOL)


def test_public_names_and_lazy_root_export():
    for name in metrics.__all__:
        assert getattr(metrics, name) is not None
    assert sktime_ecoscale.auroc is auroc
    assert sktime_ecoscale.bootstrap_ci is metrics.bootstrap_ci
    assert {"auroc", "challenge_score", "bootstrap_ci"} <= set(sktime_ecoscale.__all__)


def test_clinical_report_matches_sklearn_and_brackets_its_estimates():
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    from sktime_ecoscale.metrics import clinical_report

    rng = np.random.default_rng(3)
    y = (rng.random((300, 3)) < [0.15, 0.4, 0.6]).astype(int)
    score = np.clip(0.35 * y + 0.65 * rng.random((300, 3)), 0, 1)
    t = [0.3, 0.5, 0.6]
    table = clinical_report(y, score, thresholds=t, labels=["a", "b", "c"], n=300, random_state=1)
    assert list(table.index) == ["a", "b", "c", "macro"]
    assert table["positives"].tolist() == [*y.sum(axis=0).tolist(), int(y.any(axis=1).sum())]
    for k, name in enumerate("abc"):
        assert table.loc[name, "AUROC"] == pytest.approx(
            roc_auc_score(y[:, k], score[:, k]), abs=1e-12
        )
        assert table.loc[name, "AUPRC"] == pytest.approx(
            average_precision_score(y[:, k], score[:, k]), abs=1e-12
        )
        assert table.loc[name, "F1"] == pytest.approx(
            f1_score(y[:, k], score[:, k] >= t[k]), abs=1e-12
        )
    assert table.loc["macro", "AUROC"] == pytest.approx(
        roc_auc_score(y, score, average="macro"), abs=1e-12
    )
    for metric in ("AUROC", "AUPRC", "F1"):
        assert (table[f"{metric} low"] <= table[metric]).all()
        assert (table[metric] <= table[f"{metric} high"]).all()
        assert (table[f"{metric} high"] - table[f"{metric} low"] > 0.01).all()


# ---------------------------------------------------------------- calibration
def test_ece_equals_a_hand_computed_reference_for_each_kind():
    from sktime_ecoscale.metrics import expected_calibration_error

    rng = np.random.default_rng(3)
    p = rng.random(400)
    y = (rng.random(400) < p**2).astype(int)  # over-confident in the middle
    bins = np.minimum((p * 10).astype(int), 9)
    ref = sum(
        abs(y[bins == b].mean() - p[bins == b].mean()) * (bins == b).mean()
        for b in range(10)
        if (bins == b).any()
    )
    assert expected_calibration_error(y, p, n_bins=10) == pytest.approx(ref, abs=1e-12)
    # multi-class: of the top label
    P = rng.dirichlet(np.ones(3), size=300)
    labels = rng.integers(0, 3, size=300)
    conf, right = P.max(1), P.argmax(1) == labels
    b3 = np.minimum((conf * 5).astype(int), 4)
    ref3 = sum(
        abs(right[b3 == b].mean() - conf[b3 == b].mean()) * (b3 == b).mean()
        for b in range(5)
        if (b3 == b).any()
    )
    assert expected_calibration_error(labels, P, n_bins=5) == pytest.approx(ref3, abs=1e-12)
    # multi-label: the mean of the labels' binary ECE
    Y = pd.DataFrame({"a": y, "b": 1 - y})
    S = np.column_stack([p, 1 - p])
    each = [expected_calibration_error(Y[c], S[:, j], n_bins=10) for j, c in enumerate(Y)]
    assert expected_calibration_error(Y, S, n_bins=10) == pytest.approx(np.mean(each), abs=1e-12)
    with pytest.raises(ValueError, match="probabilities"):
        expected_calibration_error(y, p * 3)


def test_temperature_recovers_the_sharpening_and_lowers_ece_keeping_auroc():
    from sklearn.metrics import roc_auc_score

    from sktime_ecoscale.metrics import (
        apply_temperature,
        expected_calibration_error,
        fit_temperature,
    )

    rng = np.random.default_rng(4)
    z = rng.normal(size=(4000, 3))
    P_true = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    y = np.array([rng.choice(3, p=row) for row in P_true])
    sharp = np.exp(2.5 * z) / np.exp(2.5 * z).sum(1, keepdims=True)  # over-confident model
    T = fit_temperature(y, sharp)
    assert T == pytest.approx(2.5, rel=0.1)
    fixed = apply_temperature(sharp, T)
    assert expected_calibration_error(y, fixed) < 0.5 * expected_calibration_error(y, sharp)
    assert (fixed.argmax(1) == sharp.argmax(1)).all()
    # binary: the ranking, hence AUROC, is unchanged
    yb, pb = (y == 0).astype(int), sharp[:, 0]
    Tb = fit_temperature(yb, pb)
    assert roc_auc_score(yb, apply_temperature(pb, Tb)) == pytest.approx(
        roc_auc_score(yb, pb), abs=1e-12
    )
