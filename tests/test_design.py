import numpy as np
import scipy.sparse as sp

from classifier.design import Design


def _design(seed=0):
    rng = np.random.default_rng(seed)
    words = sp.random(30, 12, density=0.2, random_state=seed, format="csr")
    lemmas = sp.random(30, 8, density=0.2, random_state=seed + 1, format="csr")
    grams = sp.random(8, 20, density=0.3, random_state=seed + 2, format="csr")
    return Design(words, lemmas, rng.random(30) + 0.5, grams)


def test_products_equal_those_of_the_spelt_out_matrix():
    Z = _design()
    dense = Z.toarray()
    v, u = np.arange(Z.n_columns, dtype=float), np.linspace(-1, 1, Z.n_rows)
    assert dense.shape == (30, 32)
    assert np.allclose(Z.dot(v), dense @ v)
    assert np.allclose(Z.rdot(u), dense.T @ u)


def test_rows_and_stacking_keep_rows_in_order():
    Z = _design()
    rows = np.array([5, 0, 7, 7])
    assert np.allclose(Z[rows].toarray(), Z.toarray()[rows])
    both = Design.vstack([Z[:3], Z[10:12]])
    assert np.allclose(both.toarray(), Z.toarray()[[0, 1, 2, 10, 11]])


def test_squares_are_exact_for_word_columns():
    Z = Design(sp.csr_matrix(np.array([[1.0, -2.0], [0.0, 3.0]])))
    assert np.allclose(Z.squares().rdot(np.array([1.0, 2.0])), [1.0, 22.0])
