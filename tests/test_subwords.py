import numpy as np

from classifier.subwords import lemma_ngrams


def test_ngrams_mark_word_ends_and_are_shared_across_lemmas():
    grams = lemma_ngrams(["нефть", "нефтяной"], (3, 3))
    names = set(grams.names)
    assert {"<не", "неф", "ефт", "ть>"} <= names
    first = set(grams.names[grams.gram_ids[grams.indptr[0]:grams.indptr[1]]])
    second = set(grams.names[grams.gram_ids[grams.indptr[1]:grams.indptr[2]]])
    assert first & second == {"<не", "неф", "ефт"}


def test_restricting_to_some_lemmas_is_building_on_those_lemmas():
    lemmas = ["вуз", "завод", "зерно", "зерновой", "нефтехимия", "нефть", "станок"]
    every = lemma_ngrams(lemmas, (2, 4))
    which = np.array([1, 3, 4, 6])
    cut = every.restrict(which)
    alone = lemma_ngrams([lemmas[i] for i in which], (2, 4))
    assert list(cut.names) == list(alone.names)
    assert (cut.indptr == alone.indptr).all()
    assert (cut.gram_ids == alone.gram_ids).all() and (cut.counts == alone.counts).all()
