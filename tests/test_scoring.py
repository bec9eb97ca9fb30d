"""Scores decided on the best of a text and its sentences, as the matrices give them."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from classifier.scoring import best_of_text_and_sentences

TEXTS = [
    "Завод сельхозтехники начал выпуск комбайнов. Зерно повезут в Иран по железной дороге.",
    "Стороны подписали документы. Делегацию встретили в аэропорту. Студенты приехали на учёбу.",
    "Грузовые поезда пойдут через Казахстан в Китай.",
    "",
    "Переговоры прошли в дружественной атмосфере. Визит продлится три дня.",
    "Птицефабрика нарастила производство мяса! Фермеры собрали урожай? Да.",
    "Совсем незнакомые слова: кварк глюон.",
]


def _reference(model, texts):
    """Straight from the text and sentence CSR matrices: one product each, the best row."""
    feat = model.featurizer_
    X = feat.transform(texts)
    S, text_of = feat.transform_sentences(texts)
    best = np.asarray(X @ model.coef_.T)
    has = np.diff(X.indptr) > 0
    best[~has] = -np.inf
    sent = np.asarray(S @ model.coef_.T)
    sent[np.diff(S.indptr) == 0] = -np.inf
    for i, t in enumerate(text_of):
        best[t] = np.maximum(best[t], sent[i])
    best[~has] = 0.0
    return best, has


def test_scores_equal_the_matrix_products(fitted):
    best, known = best_of_text_and_sentences(fitted.featurizer_, fitted.coef_, TEXTS)
    ref, ref_known = _reference(fitted, TEXTS)
    assert known.tolist() == ref_known.tolist()
    np.testing.assert_allclose(best, ref, rtol=1e-12, atol=1e-12)


def test_a_text_scores_the_same_alone_and_in_a_block(fitted):
    block, _ = best_of_text_and_sentences(fitted.featurizer_, fitted.coef_, TEXTS)
    for i, text in enumerate(TEXTS):
        alone, _ = best_of_text_and_sentences(fitted.featurizer_, fitted.coef_, [text])
        assert np.array_equal(alone[0], block[i]), text


def test_predict_with_scope_both_matches_the_reference(fitted):
    assert fitted.scope == "both"
    proba = fitted.predict_proba(TEXTS)
    ref, has = _reference(fitted, TEXTS)
    z = (ref + fitted.intercept_) * fitted.calibration_[:, 0] + fitted.calibration_[:, 1]
    np.testing.assert_allclose(proba, 0.5 * (1 + np.tanh(0.5 * z)), rtol=1e-12, atol=1e-12)
    assert fitted.predict(TEXTS)[3] == []  # an empty text gets no label
