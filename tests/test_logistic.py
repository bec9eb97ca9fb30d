import numpy as np
import pytest
import scipy.sparse as sp

from classifier.design import Design
from classifier.logistic import fit_logistic


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    words = sp.random(200, 30, density=0.15, random_state=seed, format="csr")
    lemmas = sp.random(200, 10, density=0.2, random_state=seed + 1, format="csr")
    grams = sp.random(10, 25, density=0.3, random_state=seed + 2, format="csr")
    Z = Design(words, lemmas, rng.random(200) + 0.5, grams).canonical()
    y = (Z.dot(rng.normal(size=Z.n_columns)) + 0.3 * rng.normal(size=200) > 0.2).astype(np.int8)
    return Z, y, rng.random(200) + 0.5


def test_reaches_liblinears_optimum_with_sample_and_class_weights():
    from sklearn.linear_model import LogisticRegression

    Z, y, w = _problem()
    coef, b = fit_logistic(Z, y, w, C=40.0, class_weight="balanced", tol=1e-10)
    lr = LogisticRegression(C=40.0, class_weight="balanced", solver="liblinear", tol=1e-10,
                            max_iter=10000).fit(Z.toarray(), y, sample_weight=w)
    assert np.allclose(coef, lr.coef_[0], atol=1e-5)
    assert b == pytest.approx(lr.intercept_[0], abs=1e-5)


def test_a_warm_start_at_the_optimum_stays_there():
    Z, y, w = _problem(1)
    coef, b = fit_logistic(Z, y, w, C=10.0, tol=1e-8)
    again = fit_logistic(Z, y, w, C=10.0, tol=1e-8, start=(coef, b))
    assert np.allclose(again[0], coef) and again[1] == pytest.approx(b)


def test_one_class_is_an_error():
    Z, _, w = _problem()
    with pytest.raises(ValueError, match="both classes"):
        fit_logistic(Z, np.ones(200, dtype=np.int8), w)
