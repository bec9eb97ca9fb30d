import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.model_selection import KFold

from classifier import LemmaTfidfVectorizer, SectorClassifier
from classifier.featurized import FeaturizedTexts
from classifier.model import binarize

STATE = ["idf_", "lemmas_", "unigram_cols_", "bigram_keys_", "bigram_cols_", "subword_grams_",
         "subword_idf_", "subword_indptr_", "subword_indices_", "subword_data_"]


def _same_csr(a, b):
    assert a.shape == b.shape
    assert (a.indptr == b.indptr).all() and (a.indices == b.indices).all()
    assert (a.data == b.data).all()


@pytest.mark.parametrize("params", [{}, {"min_df": 2}, {"max_features": 40, "subwords": (2, 4)},
                                    {"ngram_range": (1, 1), "subwords": None}])
def test_a_fold_cut_from_counts_is_the_featurizer_refitted_on_that_fold(corpus, params):
    texts = corpus[0]
    template = LemmaTfidfVectorizer(lookup="parse", **params)
    data = FeaturizedTexts.build(texts, template, sentences=True)
    for tr, va in KFold(3, shuffle=True, random_state=0).split(texts):
        cut = data.featurizer(tr)
        refit = LemmaTfidfVectorizer(lookup="parse", **params).fit([texts[i] for i in tr])
        assert cut.vocabulary_ == refit.vocabulary_
        for name in STATE:
            if hasattr(refit, name):
                assert (getattr(cut, name) == getattr(refit, name)).all(), name
        for rows in (tr, va):
            part = [texts[i] for i in rows]
            for sentences in (False, True):
                X, text_of = data.matrix(cut, rows, sentences, subwords=cut.subwords is not None)
                if sentences:
                    words, expected_of = refit.transform_sentences(part)
                else:
                    words, expected_of = refit.transform(part), np.arange(len(part))
                if refit.subwords is not None:
                    words = sp.hstack([words, refit.transform_subwords(part, sentences)], format="csr")
                _same_csr(X, words)
                assert (text_of == expected_of).all()


def test_the_final_featurizer_tags_as_one_fitted_on_the_texts(corpus):
    texts = corpus[0]
    data = FeaturizedTexts.build(texts, LemmaTfidfVectorizer(), sentences=False)
    cut = data.featurizer(np.arange(len(texts)), lookup="table")
    fitted = LemmaTfidfVectorizer().fit(texts)
    assert cut.form_table_ == fitted.form_table_
    new = ["Комбайны с завода поставят фермерам", "Студентов повезут поездом"]
    _same_csr(cut.transform(new), fitted.transform(new))


def test_out_of_fold_scores_equal_refitting_every_fold_from_its_texts(corpus):
    # The slow path: each fold's featurizer fitted on its own texts and its texts
    # transformed anew; the fast path must score every held-out text the same.
    texts, label_lists = corpus
    # Solved to a tight tolerance, so the two paths' rounding cannot move the optimum.
    clf = SectorClassifier(cv=0, label_order=["industry", "agro", "transport", "humanitarian"],
                           tol=1e-12)
    Y = binarize(label_lists, clf.label_order)
    folds = list(KFold(3, shuffle=True, random_state=0).split(texts))
    fast = clf.out_of_fold_scores(texts, Y, folds)
    from classifier.linear import fit_labels

    slow = np.zeros_like(fast)
    for tr, va in folds:
        part = [texts[i] for i in tr]
        feat = clf._featurizer("parse").fit(part)
        Xt = sp.hstack([feat.transform(part), feat.transform_subwords(part)], format="csr")
        Xs, text_of = feat.transform_sentences(part)
        Xs = sp.hstack([Xs, feat.transform_subwords(part, True)], format="csr")
        text_of = np.concatenate([np.arange(len(part)), text_of])
        order = np.argsort(text_of, kind="stable")
        Xs, text_of = sp.vstack([Xt, Xs], format="csr")[order], text_of[order]
        coef, b = fit_labels(Xt, Y[tr], np.ones(len(tr)), Xs, text_of, tol=1e-12)
        n = len(feat.vocabulary_)
        coef = coef[:, :n] + feat.fold_subwords(coef[:, n:])
        slow[va] = clf._decide(feat, coef, b, [texts[i] for i in va])[0]
    assert np.allclose(fast, slow, atol=1e-7)
