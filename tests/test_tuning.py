import numpy as np

from classifier.tuning import honest_scores, sigmoid, tune


def _scores(seed=0, n=400):
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, 2)) < [0.2, 0.5]).astype(np.int8)
    oof = rng.normal(size=(n, 2)) + 2.0 * Y - 1.0
    return Y, oof


def test_calibrated_labels_are_cut_at_one_half_where_f1_is_best():
    Y, oof = _scores()
    thresholds, calibration = tune(oof, Y, calibrate=True)
    assert (thresholds == 0.5).all()
    for j in range(2):
        p = sigmoid(calibration[j, 0] * oof[:, j] + calibration[j, 1])
        f1 = lambda cut: 2 * ((p >= cut) & (Y[:, j] == 1)).sum() / ((p >= cut).sum() + Y[:, j].sum())
        assert f1(0.5) >= max(f1(c) for c in np.linspace(0.05, 0.95, 19)) - 1e-9


def test_honest_scores_never_beat_scores_tuned_on_the_same_rows():
    Y, oof = _scores(1)
    folds = [(np.setdiff1d(np.arange(400), va), va) for va in np.array_split(np.arange(400), 4)]
    honest = honest_scores(Y, oof, folds, ["a", "b"], calibrate=False)
    thresholds, _ = tune(oof, Y, calibrate=False)
    P = (sigmoid(oof) >= thresholds).astype(np.int8)
    tp = ((P == 1) & (Y == 1)).sum(axis=0)
    tuned = 2 * tp / (P.sum(axis=0) + Y.sum(axis=0))
    assert honest["macro_f1"] <= tuned.mean() + 1e-9
    assert honest["folds"] == 4
