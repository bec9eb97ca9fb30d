import os

import numpy as np
import scipy.sparse as sp

from classifier.linear import fit_labels, n_workers


def test_workers_follow_the_jobs_convention():
    cores = os.cpu_count() or 1
    assert n_workers(None) == n_workers(0) == cores
    assert n_workers(3) == 3
    assert n_workers(-1) == cores and n_workers(-cores - 5) == 1


def test_threads_give_the_coefficients_of_one_thread_and_leave_matrices_canonical():
    rng = np.random.default_rng(0)
    X = sp.random(120, 40, density=0.1, random_state=1, format="csr")
    X.indices = X.indices.copy()
    Y = (rng.random((120, 5)) < 0.3).astype(np.int8)
    w = np.ones(120)
    one = fit_labels(X, Y, w, n_jobs=1)
    many = fit_labels(X, Y, w, n_jobs=4)
    assert np.array_equal(one[0], many[0]) and np.array_equal(one[1], many[1])
    assert X.has_canonical_format


def test_a_label_without_positives_gets_a_constant_score():
    X = sp.csr_matrix(np.eye(6))
    Y = np.array([[1, 0]] * 3 + [[0, 0]] * 3, dtype=np.int8)
    coef, b = fit_labels(X, Y, np.ones(6))
    assert not coef[1].any() and b[1] < -10
