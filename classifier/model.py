"""SectorClassifier: the multi-label estimator users hold.

One logistic regression per label on lemma TF-IDF features, with a decision threshold per
label tuned on out-of-fold probabilities. Reads no files and prints nothing.

Training is: featurize once (`featurized`), fit one linear model per label on the
matrices of each cross-validation fold and of all texts (`linear`), tune calibration and
thresholds on the out-of-fold scores (`tuning`), save (`persist`).

>>> clf = SectorClassifier(cv=2).fit(texts, label_lists)          # doctest: +SKIP
>>> clf.predict(["Товарооборот вырос на 12%"])                     # doctest: +SKIP
[['trade']]
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ._params import ParamsMixin, check_fitted
from .features import LemmaTfidfVectorizer, as_text_list
from .scoring import best_of_text_and_sentences
from .tuning import (
    MIN_CALIBRATION,
    best_threshold,
    calibrate_at_half,
    expected_calibration_error,
    honest_scores,
    per_label_scores,
    platt,
    tune,
)
from .tuning import sigmoid as _sigmoid

__all__ = [
    "SectorClassifier",
    "binarize",
    "best_threshold",
    "per_label_scores",
    "platt",
    "calibrate_at_half",
    "expected_calibration_error",
]

MIN_POSITIVES = 5
_BLOCK = 2000


def binarize(label_lists: Sequence[Iterable[str]], labels: Sequence[str]) -> np.ndarray:
    """(n, n_labels) 0/1 matrix of `label_lists` over `labels`; unknown ids are an error."""
    index = {label: j for j, label in enumerate(labels)}
    Y = np.zeros((len(label_lists), len(labels)), dtype=np.int8)
    for i, row in enumerate(label_lists):
        for label in row:
            if label not in index:
                raise ValueError(f"label_lists[{i}] has unknown label {label!r}")
            Y[i, index[label]] = 1
    return Y


class SectorClassifier(ParamsMixin):
    """Multi-label sector tagger: lemma TF-IDF + one logistic regression per label.

    Parameters
    ----------
    C : float, default 0.25
        Inverse regularisation strength of each logistic regression.
    class_weight : None or "balanced", default "balanced"
    min_df, max_df, max_features, sublinear_tf, norm, ngram_range :
        Passed to :class:`~classifier.features.LemmaTfidfVectorizer`. `norm` is None by
        default here: a paragraph's or sentence's row is not scaled to unit length, so a
        cue keeps its weight however many names and titles stand around it in the same
        clause (measured against "l2" with C=40: real cooperation pages 0.852 -> 0.882 and
        0.873 -> 0.895 micro F1 on two sets, real Telegram posts 0.575 -> 0.611, the
        Telegram 12-topic task 0.617 -> 0.643 macro F1; the written test 0.928 -> 0.933).
    cv : int, default 3
        Folds for tuning the per-label thresholds and estimating metrics; 0 or 1 keeps
        0.5 for every label and skips cross-validation.
    label_order : sequence of str or None
        Order of the labels; default: labels in order of first appearance in `fit`'s data.
    subwords : (int, int) or None, default (3, 5)
        Character n-gram lengths of the subword block used in training (see
        :meth:`~classifier.features.LemmaTfidfVectorizer.transform_subwords`): lemmas that
        share n-grams share evidence, so «нефтехимический» learns from «нефтехимия». Its
        coefficients are folded into the lemma columns, so tagging costs nothing extra.
        None trains on lemma uni+bigrams only.
    augment : float or "auto", default "auto"
        Add this many (as a share of the training rows) joined paragraph pairs to every
        fit: a paragraph followed or preceded by another, labelled with the union of both
        label sets. Real paragraphs often carry a sector cue inside long protocol text;
        the pairs teach the model that surrounding text does not cancel a cue. "auto" is
        1.0 for multi-label data (at least 10% of rows with two or more labels) and 0
        for single-label data, where a two-label pair never matches a real example.
        With scope "sentence" or "both" the pairs are not needed and not made.
    placeholders : tuple of str, default ()
        Kinds of proper names replaced by one placeholder term each (see
        :class:`~classifier.features.LemmaTfidfVectorizer`), e.g. ("Name", "Surn", "Patr").
    scope : {"both", "sentence", "text"}, default "both"
        What a label is decided on. "text": the whole paragraph's TF-IDF. "sentence": each
        sentence scored on its own, the paragraph taking the best, so a cue keeps its
        weight however long the protocol around it. "both": the best of the paragraph and
        its sentences. With "sentence" and "both" the model is trained for it (multiple
        instance learning): after a first fit on paragraphs, each label is refitted on the
        sentence (or paragraph) that carries it best in every positive paragraph against
        every sentence and paragraph of the negatives.
    mil_iter : int, default 2
        Rounds of that refit.
    tol : float, default 1e-2
        Stopping tolerance of each logistic regression's solver (liblinear's rule:
        gradient norm below `tol` times the minority class's share of the norm at zero).
    calibrate : bool, default True
        Map scores to probabilities with Platt scaling fitted on the out-of-fold scores,
        shifted so that p >= 0.5 is the F1-best rule for every label (`thresholds_` are
        then all 0.5). False keeps raw logistic scores with a tuned threshold per label.
    n_jobs : int or None, default None
        Threads fitting the labels in parallel (liblinear releases the GIL); None or 0:
        one per core, negative: all cores but that many less one.
    random_state : int, default 0
        Seeds the fold split and the augmentation.

    Attributes
    ----------
    classes_ : ndarray of str
    thresholds_ : ndarray of shape (n_labels,)
    coef_ : ndarray of shape (n_labels, n_features); intercept_ : ndarray (n_labels,)
    featurizer_ : LemmaTfidfVectorizer
    cv_scores_ : dict or None
        Cross-validated precision/recall/F1 per label, micro and macro F1, with each
        fold's thresholds tuned on the other folds only.
    n_train_ : int

    Examples
    --------
    >>> texts = ["Экспорт зерна вырос", "Открыт новый завод", "Студенты приехали на учёбу"] * 5
    >>> labels = [["trade", "agro"], ["industry"], ["humanitarian"]] * 5
    >>> clf = SectorClassifier(cv=0).fit(texts, labels)
    >>> clf.predict(["Новый завод открыт"])
    [['industry']]
    """

    def __init__(
        self,
        C: float = 0.25,
        class_weight: str | None = "balanced",
        min_df: int = 1,
        max_df: float = 1.0,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        norm: str | None = None,
        ngram_range: tuple[int, int] = (1, 2),
        cv: int = 3,
        label_order: Sequence[str] | None = None,
        augment: float | str = "auto",
        subwords: tuple[int, int] | None = (3, 5),
        placeholders: tuple[str, ...] = (),
        scope: str = "both",
        mil_iter: int = 2,
        tol: float = 1e-2,
        calibrate: bool = True,
        n_jobs: int | None = None,
        random_state: int | None = 0,
    ):
        self.C = C
        self.class_weight = class_weight
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.norm = norm
        self.ngram_range = ngram_range
        self.cv = cv
        self.label_order = label_order
        self.augment = augment
        self.subwords = subwords
        self.placeholders = placeholders
        self.scope = scope
        self.mil_iter = mil_iter
        self.tol = tol
        self.calibrate = calibrate
        self.n_jobs = n_jobs
        self.random_state = random_state

    # -- fitting -------------------------------------------------------------------

    def _featurizer(self, lookup: str) -> LemmaTfidfVectorizer:
        return LemmaTfidfVectorizer(
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            norm=self.norm,
            lookup=lookup,
            subwords=None if self.subwords is None else tuple(self.subwords),
            placeholders=tuple(self.placeholders),
        )

    def _fit_rows(self, data, rows: np.ndarray, Y: np.ndarray, weight: np.ndarray,
                  lookup: str, feat: LemmaTfidfVectorizer | None = None):
        """Featurizer, coefficients over its columns and intercepts fitted on the texts
        `rows` of `data` (a `FeaturizedTexts`); `Y` and `weight` are those rows'. `feat`,
        if given, is the featurizer already fitted on them."""
        from .linear import fit_labels

        if feat is None:
            feat = data.featurizer(rows, lookup)
        subwords = self.subwords is not None
        Xt, _ = data.design(feat, rows, sentences=False, subwords=subwords)
        Xs = text_of = None
        if self.scope != "text":
            Xs, text_of = data.design(feat, rows, sentences=True, subwords=subwords)
            if self.scope == "both":
                from .design import Design

                # The whole text competes with its own sentences; a stable sort keeps
                # every text's rows together, the text first.
                text_of = np.concatenate([np.arange(len(rows)), text_of])
                order = np.argsort(text_of, kind="stable")
                Xs, text_of = Design.vstack([Xt, Xs])[order], text_of[order]
        coef, intercept = fit_labels(Xt, Y, weight, Xs, text_of, C=self.C,
                                     class_weight=self.class_weight, mil_iter=self.mil_iter,
                                     n_jobs=self.n_jobs, random_state=self.random_state,
                                     tol=self.tol)
        n_words = len(feat.vocabulary_)
        if subwords:
            coef = coef[:, :n_words] + feat.fold_subwords(coef[:, n_words:])
        return feat, coef, intercept

    def _held_out_scores(self, data, feat: LemmaTfidfVectorizer, coef: np.ndarray,
                         intercept: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """`_decide`'s scores of the texts `rows` of `data`, from the counts read once."""
        n = len(rows)
        text_rows = data.triplets(feat, rows, sentences=False)
        sent_rows = data.triplets(feat, rows, sentences=True) if self.scope != "text" else None
        units = []
        if self.scope != "sentence":
            units.append((text_rows, np.arange(n)))
        if sent_rows is not None:
            units.append((sent_rows[:4], sent_rows[4]))
        best = np.full((n, len(intercept)), -np.inf)
        known = np.zeros(n, dtype=bool)
        for (r, c, v, n_units), text_of in units:
            has = np.bincount(r, minlength=n_units) > 0
            unit = np.empty((n_units, len(intercept)))
            for j in range(len(intercept)):
                unit[:, j] = np.bincount(r, weights=v * coef[j, c], minlength=n_units)
            unit[~has] = -np.inf
            if n_units:  # every text has a row here, in order
                starts = np.searchsorted(text_of, np.arange(n))
                best = np.maximum(best, np.maximum.reduceat(unit, starts, axis=0))
                known |= np.logical_or.reduceat(has, starts)
        best[~known] = 0.0
        return best + intercept

    def _training_set(self, texts: list[str], Y: np.ndarray, weight: np.ndarray,
                      folds: list, progress):
        """Every text a fit trains on, featurized once, and the rows of each fit: one
        per fold, then the final fit. Joined pairs (scope "text" only) are made per fit
        and added as texts of their own."""
        from .featurized import FeaturizedTexts

        fits = [tr for tr, _ in folds] + [np.arange(len(texts))]
        all_texts, all_Y, all_w, fit_rows = list(texts), [Y], [weight], []
        for tr in fits:
            rows = np.asarray(tr)
            if self.scope == "text":
                part = [texts[i] for i in rows]
                joined, Yj, wj = self._augmented(part, Y[rows], weight[rows], self.random_state)
                extra = np.arange(len(all_texts), len(all_texts) + len(joined) - len(part))
                all_texts += joined[len(part):]
                all_Y.append(Yj[len(part):])
                all_w.append(wj[len(part):])
                rows = np.concatenate([rows, extra])
            fit_rows.append(rows)
        if progress:
            progress("reading the texts")
        data = FeaturizedTexts.build(all_texts, self._featurizer("parse"),
                                     sentences=self.scope != "text")
        return data, np.vstack(all_Y), np.concatenate(all_w), fit_rows

    def out_of_fold_scores(self, texts: Sequence[str], Y: np.ndarray, folds: list,
                           sample_weight: Sequence[float] | None = None,
                           progress: Callable[[str], None] | None = None) -> np.ndarray:
        """Linear scores (n_texts, n_labels) of every text from the model fitted on the
        other folds (`folds`: (train, held-out) index pairs), as `fit` uses them.

        >>> oof = clf.out_of_fold_scores(texts, Y, list(KFold(5).split(texts)))  # doctest: +SKIP
        """
        texts = as_text_list(texts, "texts")
        weight = (np.ones(len(texts)) if sample_weight is None
                  else np.asarray(sample_weight, dtype=np.float64))
        data, all_Y, all_w, fit_rows = self._training_set(texts, Y, weight, folds, progress)
        return self._out_of_fold(data, all_Y, all_w, folds, fit_rows, progress)

    def _out_of_fold(self, data, all_Y, all_w, folds, fit_rows, progress) -> np.ndarray:
        oof = np.zeros((sum(len(va) for _, va in folds), all_Y.shape[1]))
        for k, ((_, va), rows) in enumerate(zip(folds, fit_rows)):
            if progress:
                progress(f"cross-validation fold {k + 1}/{len(folds)}")
            feat, coef, b = self._fit_rows(data, rows, all_Y[rows], all_w[rows], "parse")
            oof[va] = self._held_out_scores(data, feat, coef, b, np.asarray(va))
        return oof

    def _augment_share(self, Y: np.ndarray) -> float:
        if self.augment == "auto":
            return 1.0 if (Y.sum(axis=1) > 1).mean() >= 0.1 else 0.0
        return float(self.augment)

    def _augmented(self, texts: list[str], Y: np.ndarray, weight: np.ndarray, seed: int | None):
        n_extra = int(round(self._augment_share(Y) * len(texts)))
        if n_extra <= 0:
            return texts, Y, weight
        rng = np.random.default_rng(seed)
        first = rng.integers(0, len(texts), n_extra)
        second = rng.integers(0, len(texts), n_extra)
        swap = rng.random(n_extra) < 0.5
        extra = [
            f"{texts[b]} {texts[a]}" if s else f"{texts[a]} {texts[b]}"
            for a, b, s in zip(first, second, swap)
        ]
        return (texts + extra, np.vstack([Y, Y[first] | Y[second]]),
                np.concatenate([weight, np.maximum(weight[first], weight[second])]))

    def _decide(self, feat: LemmaTfidfVectorizer, coef: np.ndarray, intercept: np.ndarray,
                texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Linear scores of `texts` (n_texts, n_labels) and whether each has a known term:
        the text's own score, or with scope="sentence" the best score of its sentences."""
        n = len(texts)
        scores = np.empty((n, len(intercept)))
        known = np.empty(n, dtype=bool)
        # Blocks keep the per-token arrays small: memory stays flat however many texts
        # come in, at no measurable cost in speed.
        for start in range(0, n, _BLOCK):
            block = texts[start:start + _BLOCK]
            m = len(block)
            if self.scope == "both":
                scores[start:start + m], known[start:start + m] = \
                    best_of_text_and_sentences(feat, coef, block)
                continue
            if self.scope == "text":
                rows, cols, vals, n_rows = feat.transform_triplets(block)
                text_of = None
            elif self.scope == "sentence":
                rows, cols, vals, n_rows, text_of = feat.transform_sentence_triplets(block)
            else:
                (r2, c2, v2, _), (rows, cols, vals, n_rows, text_of) = \
                    feat.transform_both_triplets(block)
                # Each text's own row goes after its sentences; reduceat only needs every
                # text's rows to be contiguous.
                ends = np.searchsorted(text_of, np.arange(m), side="right")
                sent_pos = np.arange(n_rows) + text_of  # one text row before per earlier text
                text_pos = ends + np.arange(m)
                rows = np.concatenate([sent_pos[rows], text_pos[r2]])
                cols, vals = np.concatenate([cols, c2]), np.concatenate([vals, v2])
                text_of = np.repeat(np.arange(m), np.diff(np.append(0, ends)) + 1)
                n_rows = len(text_of)
            has = np.bincount(rows, minlength=n_rows) > 0
            unit = np.empty((n_rows, len(intercept)))
            # One weighted bincount per label is the sparse product X @ coef.T, no scipy.
            for j in range(len(intercept)):
                unit[:, j] = np.bincount(rows, weights=vals * coef[j, cols], minlength=n_rows)
            if text_of is None:
                scores[start:start + m], known[start:start + m] = unit, has
                continue
            unit[~has] = -np.inf
            starts = np.searchsorted(text_of, np.arange(m))
            best = np.maximum.reduceat(unit, starts, axis=0)
            ok = np.logical_or.reduceat(has, starts)
            best[~ok] = 0.0
            scores[start:start + m], known[start:start + m] = best, ok
        scores += intercept
        return scores, known

    def fit(
        self,
        texts: Iterable[str],
        label_lists: Sequence[Iterable[str]],
        progress: Callable[[str], None] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> "SectorClassifier":
        """Learn features, one linear model per label, per-label calibration and thresholds.

        `sample_weight` weighs each text in the fits (e.g. a user's own rows above a base
        corpus). `progress`, if given, is called with a short message before each long
        step: reading the texts, each cross-validation fold, the final fit.
        """
        texts = as_text_list(texts, "texts")
        label_lists = [self._label_row(row, i) for i, row in enumerate(label_lists)]
        if len(texts) != len(label_lists):
            raise ValueError(
                f"texts and label_lists differ in length: {len(texts)} != {len(label_lists)}"
            )
        if self.scope not in ("text", "sentence", "both"):
            raise ValueError(f"scope must be 'text', 'sentence' or 'both', got {self.scope!r}")
        weight = (np.ones(len(texts)) if sample_weight is None
                  else np.asarray(sample_weight, dtype=np.float64))
        if weight.shape != (len(texts),) or not np.all(weight > 0):
            raise ValueError("sample_weight must hold one positive number per text")
        labels = (
            list(self.label_order) if self.label_order is not None else _first_seen(label_lists)
        )
        Y = binarize(label_lists, labels)
        counts = Y.sum(axis=0)
        if len(labels) < 2:
            raise ValueError(f"need at least 2 labels to train, found {len(labels)}: {labels}")
        rare = [f"{l} ({int(c)})" for l, c in zip(labels, counts) if c < MIN_POSITIVES]
        if rare:
            raise ValueError(
                f"labels with fewer than {MIN_POSITIVES} positive examples: {', '.join(rare)}"
            )
        self.classes_ = np.array(labels, dtype=object)
        self.n_train_ = len(texts)

        from sklearn.model_selection import KFold

        folds = []
        if self.cv and self.cv > 1:
            folds = list(KFold(self.cv, shuffle=True, random_state=self.random_state).split(texts))
        data, all_Y, all_w, fit_rows = self._training_set(texts, Y, weight, folds, progress)

        from concurrent.futures import ThreadPoolExecutor

        self.cv_scores_ = None
        thresholds = np.full(len(labels), 0.5)
        calib = np.tile([1.0, 0.0], (len(labels), 1))
        rows = fit_rows[-1]
        # The final featurizer's form table is Python work (parsing every inflection of
        # the vocabulary) and the folds' fits are liblinear's, which releases the GIL:
        # built on the side, the table costs no wall time.
        with ThreadPoolExecutor(max_workers=1) as side:
            final_feat = side.submit(data.featurizer, rows, "table")
            if folds:
                oof = self._out_of_fold(data, all_Y, all_w, folds, fit_rows[:-1], progress)
                thresholds, calib = tune(oof, Y, self.calibrate)
                self.cv_scores_ = honest_scores(Y, oof, folds, labels, self.calibrate)
            if progress:
                progress("fitting the final model")
            feat = final_feat.result()
        self.thresholds_ = thresholds
        self.calibration_ = calib
        self.featurizer_, self.coef_, self.intercept_ = self._fit_rows(
            data, rows, all_Y[rows], all_w[rows], "table", feat)
        return self

    @staticmethod
    def _label_row(row, i: int) -> list[str]:
        if isinstance(row, str):
            raise TypeError(
                f"label_lists[{i}] is a string {row!r}; give a list of label ids, e.g. [{row!r}]"
            )
        return [str(label) for label in row]

    # -- predicting ----------------------------------------------------------------

    @property
    def labels(self) -> tuple[str, ...]:
        """The label ids this model predicts, in column order of `predict_proba`."""
        check_fitted(self, "classes_")
        return tuple(self.classes_)

    def _scores(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        check_fitted(self, "coef_")
        scores, known = self._decide(self.featurizer_, self.coef_, self.intercept_,
                                     as_text_list(texts))
        calib = getattr(self, "calibration_", None)
        if calib is not None:
            scores = scores * calib[:, 0] + calib[:, 1]
        return scores, known

    def decision_function(self, texts: Iterable[str]) -> np.ndarray:
        """Linear scores, shape (n_texts, n_labels)."""
        return self._scores(texts)[0]

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Probability of each label, shape (n_texts, n_labels), columns in `labels` order.

        >>> clf.predict_proba(["Экспорт зерна"]).shape     # doctest: +SKIP
        (1, 8)
        """
        return _sigmoid(self.decision_function(texts))

    def predict(
        self,
        texts: Iterable[str],
        threshold: float | None = None,
        top_k: int | None = None,
    ) -> list[list[str]]:
        """Label ids of each text (possibly none), in `labels` order.

        `threshold` replaces the tuned per-label thresholds with one cut for all labels;
        `top_k` keeps at most the k most probable of the labels the thresholds give (a
        cap: a text with no label above its threshold still gets none).
        A text with no known word gets no label.

        >>> clf.predict(["Экспорт зерна в Китай вырос"])            # doctest: +SKIP
        [['agro', 'trade']]
        """
        return self.predict_with_proba(texts, threshold, top_k)[0]

    def predict_with_proba(
        self,
        texts: Iterable[str],
        threshold: float | None = None,
        top_k: int | None = None,
    ) -> tuple[list[list[str]], np.ndarray]:
        """`predict` and `predict_proba` in one pass over the texts."""
        scores, known = self._scores(texts)
        proba = _sigmoid(scores)
        return self.labels_from_proba(proba, threshold, top_k, known), proba

    def labels_from_proba(
        self,
        proba: np.ndarray,
        threshold: float | None = None,
        top_k: int | None = None,
        known: np.ndarray | None = None,
    ) -> list[list[str]]:
        """Turn a `predict_proba` matrix into label lists, as `predict` does; rows where
        `known` is False (no known word) get none."""
        check_fitted(self, "thresholds_")
        chosen = proba >= (self.thresholds_ if threshold is None else threshold)
        if top_k is not None:  # a cap on the labels the thresholds give, never more
            if top_k < 1:
                raise ValueError(f"top_k must be at least 1, got {top_k}")
            rank = np.argsort(np.argsort(-proba, axis=1, kind="stable"), axis=1)
            chosen &= rank < top_k
        if known is not None:
            chosen &= np.asarray(known, dtype=bool)[:, None]
        if chosen.shape[1] > 30:
            return [list(self.classes_[row]) for row in chosen]
        # Rows share few label sets: one list per distinct set, copied per row.
        bits = chosen.astype(np.int64) @ (1 << np.arange(chosen.shape[1], dtype=np.int64))
        distinct, first = np.unique(bits, return_index=True)
        sets = {int(b): list(self.classes_[chosen[i]]) for b, i in zip(distinct, first)}
        return [sets[b][:] for b in bits.tolist()]

    def explain(
        self,
        text: str,
        top: int = 5,
        labels: Sequence[str] | None = None,
        negative: bool = False,
    ) -> dict[str, list[tuple[str, float]]]:
        """For each label predicted for `text` (or each of `labels`, given or not), the
        terms that pushed it up most; with `negative`, then the `top` terms that pushed it
        down (negative weights).

        A term's contribution is its TF-IDF value times the label's coefficient, exact
        for a linear model; with scope "sentence" or "both" the terms are those of the sentence
        (or whole text) that scores highest for the label, since that sentence decides it.

        >>> clf.explain("Товарооборот с Казахстаном вырос")       # doctest: +SKIP
        {'trade': [('товарооборот', 1.83), ('товарооборот вырасти', 0.41), ...]}
        """
        if not isinstance(text, str):
            raise TypeError("explain takes one text (a str)")
        check_fitted(self, "coef_")
        X = self.featurizer_.transform([text])
        if self.scope != "text":
            import scipy.sparse as sp

            sentences, _ = self.featurizer_.transform_sentences([text])
            X = sentences if self.scope == "sentence" else sp.vstack([X, sentences], format="csr")
        unit = np.asarray(X @ self.coef_.T)
        unit[np.diff(X.indptr) == 0] = -np.inf
        best = unit.argmax(axis=0)
        proba = self.predict_proba([text])[0]
        names = self.featurizer_._feature_names()
        out: dict[str, list[tuple[str, float]]] = {}
        if labels is None:
            chosen = np.flatnonzero(proba >= self.thresholds_)
        else:
            known = list(self.classes_)
            unknown = [label for label in labels if label not in known]
            if unknown:
                raise ValueError(f"unknown label(s) {', '.join(map(repr, unknown))}; "
                                 f"this model's labels: {', '.join(known)}")
            chosen = [known.index(label) for label in labels]
        for j in chosen:
            x = X[best[j]]
            contrib = x.data * self.coef_[j, x.indices]
            order = np.argsort(-contrib)
            terms = [(str(names[x.indices[i]]), round(float(contrib[i]), 4))
                     for i in order[:top] if contrib[i] > 0]
            if negative:
                terms += [(str(names[x.indices[i]]), round(float(contrib[i]), 4))
                          for i in order[::-1][:top] if contrib[i] < 0]
            out[str(self.classes_[j])] = terms
        return out

    def __setstate__(self, state):
        state.setdefault("subwords", None)  # models saved before the subword block
        state.setdefault("scope", "text")  # ... before sentence scoring
        state.setdefault("placeholders", ())
        state.setdefault("mil_iter", 0)
        state.setdefault("calibrate", False)
        state.setdefault("n_jobs", None)
        state.setdefault("tol", 1e-4)
        self.__dict__.update(state)

    def save(self, path, metadata: dict | None = None) -> None:
        """Write the model (joblib) and its JSON card beside it, atomically.

        >>> clf.save("models/my.joblib")          # doctest: +SKIP
        """
        from .persist import save_model

        save_model(self, path, metadata=metadata)


def _first_seen(label_lists: Sequence[Sequence[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in label_lists:
        for label in row:
            seen.setdefault(label, None)
    return list(seen)
