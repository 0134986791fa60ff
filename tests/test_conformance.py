"""sktime's own conformance suite, one test per check, for both deep classifiers."""

from sktime.utils.estimator_checks import check_estimator, parametrize_with_checks

from sktime_ecoscale import EcoScaleClassifier, OmniScaleClassifier


@parametrize_with_checks([EcoScaleClassifier, OmniScaleClassifier])
def test_sktime_conformance(obj, test_name):
    """Every sktime check passes on every ``get_test_params`` set."""
    check_estimator(obj, tests_to_run=test_name, raise_exceptions=True)
