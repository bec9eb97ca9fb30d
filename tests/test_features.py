import pickle

import numpy as np
import pytest
from sklearn.base import clone
from classifier._params import NotFittedError
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from classifier.features import LemmaTfidfVectorizer


@pytest.mark.parametrize(
    "check",
    [
        check_no_attributes_set_in_init,
        check_get_params_invariance,
        check_set_params,
        check_parameters_default_constructible,
    ],
)
def test_sklearn_estimator_checks(check):
    check("LemmaTfidfVectorizer", LemmaTfidfVectorizer())


def test_fit_transform_shape_and_unit_norm(corpus):
    texts, _ = corpus
    vec = LemmaTfidfVectorizer()
    X = vec.fit_transform(texts)
    assert X.shape == (len(texts), len(vec.vocabulary_))
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)
    assert len(vec.get_feature_names_out()) == X.shape[1]


def test_vocabulary_holds_lemmas_and_bigrams_across_function_words():
    vec = LemmaTfidfVectorizer().fit(["Сотрудничество в сфере энергетики"])
    assert set(vec.vocabulary_) == {
        "сотрудничество", "сфера", "энергетика", "сотрудничество сфера", "сфера энергетика"
    }


def test_numbers_break_bigrams():
    vec = LemmaTfidfVectorizer().fit(["поставки 500 тонн"])
    assert "поставка тонна" not in vec.vocabulary_


def test_other_inflections_map_to_the_same_columns():
    vec = LemmaTfidfVectorizer().fit(["Поставки зерна выросли"])
    a = vec.transform(["поставками зерном"])
    b = vec.transform(["поставка зерно"])
    assert a.nnz == 3 and (a != b).nnz == 0  # two lemmas and their bigram


def test_form_table_agrees_with_parsing_every_word(corpus):
    texts, _ = corpus
    fast = LemmaTfidfVectorizer(lookup="table").fit(texts)
    slow = clone(fast).set_params(lookup="parse").fit(texts)
    probe = texts + [
        "Заводами и фермерами, студентками и рейсом; ёлками 2025 нефтехимией!",
        "Совершенно незнакомые словоформы: квазиавиалогистика и суперзаводище.",
        "",
    ]
    diff = fast.transform(probe) - slow.transform(probe)
    assert abs(diff).max() < 1e-12


def test_unknown_and_empty_texts_give_empty_rows(corpus):
    texts, _ = corpus
    vec = LemmaTfidfVectorizer().fit(texts)
    X = vec.transform(["", "   ", "qwertyuiop", "😀 \x00"])
    assert X.shape[0] == 4 and X.nnz == 0


def test_single_string_is_an_error(corpus):
    vec = LemmaTfidfVectorizer().fit(corpus[0])
    with pytest.raises(TypeError, match="single string"):
        vec.transform("Завод")


def test_transform_before_fit_raises():
    with pytest.raises(NotFittedError):
        LemmaTfidfVectorizer().transform(["завод"])


def test_pickles_without_the_morph_analyzer(corpus):
    vec = LemmaTfidfVectorizer().fit(corpus[0])
    blob = pickle.dumps(vec)
    assert b"MorphAnalyzer" not in blob
    again = pickle.loads(blob)
    assert (again.transform(corpus[0]) != vec.transform(corpus[0])).nnz == 0


def test_fit_is_idempotent(corpus):
    vec = LemmaTfidfVectorizer()
    a = vec.fit_transform(corpus[0])
    b = vec.fit_transform(corpus[0])
    assert (a != b).nnz == 0


def test_min_df_and_max_features_limit_the_vocabulary(corpus):
    texts, _ = corpus
    full = LemmaTfidfVectorizer().fit(texts)
    small = LemmaTfidfVectorizer(min_df=2).fit(texts)
    top = LemmaTfidfVectorizer(max_features=10).fit(texts)
    assert len(small.vocabulary_) < len(full.vocabulary_)
    assert len(top.vocabulary_) == 10


def test_bad_ngram_range_is_rejected(corpus):
    with pytest.raises(ValueError, match="ngram_range"):
        LemmaTfidfVectorizer(ngram_range=(1, 3)).fit(corpus[0])


def test_subword_block_holds_lemma_ngrams_shared_across_words():
    vec = LemmaTfidfVectorizer(subwords=(3, 5)).fit(
        ["Нефтехимия растёт", "Нефтехимический комплекс растёт", "Урожай зерна"]
    )
    S = vec.transform_subwords(["нефтехимического комплекса"])
    grams = set(vec.subword_grams_[S.indices])
    # n-grams of «нефтехимия» (in two training texts) fire for the adjective too
    assert {"<не", "нефт", "хим"} <= grams
    assert S.shape == (1, len(vec.subword_grams_))
    assert vec.transform_subwords(["урожай"]).nnz == 0  # its n-grams are in one text only


def test_folded_subword_coefficients_score_like_the_two_blocks(corpus):
    texts, _ = corpus
    vec = LemmaTfidfVectorizer().fit(texts)
    probe = texts + ["Завод сельхозтехники и новый авиарейс", ""]
    X, S = vec.transform(probe), vec.transform_subwords(probe)
    rng = np.random.default_rng(0)
    w_words = rng.normal(size=(3, X.shape[1]))
    w_sub = rng.normal(size=(3, S.shape[1]))
    both = X @ w_words.T + S @ w_sub.T
    folded = X @ (w_words + vec.fold_subwords(w_sub)).T
    assert np.allclose(both, folded)


def test_subwords_none_has_no_subword_state(corpus):
    vec = LemmaTfidfVectorizer(subwords=None).fit(corpus[0])
    assert not hasattr(vec, "subword_grams_")
    with pytest.raises(NotFittedError):
        vec.transform_subwords(["завод"])
    with pytest.raises(ValueError, match="subwords"):
        LemmaTfidfVectorizer(subwords=(4, 2)).fit(corpus[0])


def test_subword_state_survives_pickling(corpus):
    vec = LemmaTfidfVectorizer().fit(corpus[0])
    again = pickle.loads(pickle.dumps(vec))
    assert list(again.subword_grams_) == list(vec.subword_grams_)
    assert (again.transform_subwords(corpus[0]) != vec.transform_subwords(corpus[0])).nnz == 0


def test_parse_lookup_builds_no_table_and_table_lookup_then_needs_a_refit(corpus):
    texts, _ = corpus
    vec = LemmaTfidfVectorizer(lookup="table").fit(texts)
    assert vec.form_table_
    vec.set_params(lookup="parse").fit(texts)
    assert not hasattr(vec, "form_table_")  # the old table went with the refit
    vec.set_params(lookup="table")
    with pytest.raises(NotFittedError, match="lookup='parse'"):
        vec.transform(texts)


def test_feature_names_follow_a_refit_and_stay_out_of_the_pickle(corpus):
    vec = LemmaTfidfVectorizer().fit(corpus[0][:6])
    first = vec.get_feature_names_out()
    first[0] = "испорчено"  # a caller's copy: the next call is not affected
    assert vec.get_feature_names_out()[0] != "испорчено"
    vec.fit(["Урожай пшеницы вырос", "Рейсы в Ташкент"])
    assert set(vec.get_feature_names_out()) == set(vec.vocabulary_)
    assert "пшеница" in vec.get_feature_names_out()
    restored = pickle.loads(pickle.dumps(vec))
    assert "_names_cache" not in restored.__dict__
    assert list(restored.get_feature_names_out()) == list(vec.get_feature_names_out())


def test_one_pass_gives_the_text_and_sentence_rows_of_separate_passes():
    texts = ["Экспорт зерна вырос. Завод открыт!", "", "В. Путин посетил «Татнефть». Итоги года подвели.",
             "Поставки нефти в Китай выросли втрое. Новые рейсы в Алматы."]
    vec = LemmaTfidfVectorizer(subwords=None).fit(texts)
    (r, c, v, n), (rs, cs, vs, ns, of) = vec.transform_both_triplets(texts)
    r2, c2, v2, n2 = vec.transform_triplets(texts)
    rs2, cs2, vs2, ns2, of2 = vec.transform_sentence_triplets(texts)
    assert n == n2 == 4 and (r == r2).all() and (c == c2).all() and np.allclose(v, v2)
    assert ns == ns2 and (rs == rs2).all() and (cs == cs2).all() and np.allclose(vs, vs2)
    assert of.tolist() == [0, 0, 1, 2, 2, 3, 3]


def test_few_texts_before_the_form_index_score_as_after_it(fitted):
    # A first call with a few texts reads them without building the form index; the rows
    # must be the ones the index gives.
    import copy

    texts = ["Грузовые поезда пойдут через Казахстан. Зерно повезут в Иран!", "Завод открыт."]
    fresh = copy.deepcopy(fitted.featurizer_)
    fresh.__dict__.pop("_form_index", None)
    plain = fresh.transform(texts).toarray()
    assert "_form_index" not in fresh.__dict__
    fresh.transform(texts * 40)  # a block large enough builds it
    assert "_form_index" in fresh.__dict__
    np.testing.assert_array_equal(fresh.transform(texts).toarray(), plain)
