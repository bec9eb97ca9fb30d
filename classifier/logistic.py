"""L2-regularised binary logistic regression by Newton's method, on a factored `Design`.

The problem liblinear's primal solver (scikit-learn's ``solver="liblinear"``) solves:
the intercept is a column of ones, penalised like the others, and the loss of each row
is weighted by its sample weight times its class weight. Newton steps come from
conjugate gradients preconditioned by the Hessian's diagonal, then a backtracking line
search; it stops when the gradient's norm falls to `tol` times liblinear's share of the
gradient at zero, so a start near the optimum (the previous round's coefficients)
stops after a step or two. Only products with the design are taken, so the subword
block stays in its factors. Everything is sequential numpy: a fit repeats bit for bit,
and scipy's sparse products run without the GIL, so labels fit in parallel threads.

>>> coef, intercept = fit_logistic(Z, y, weight, C=40.0)                 # doctest: +SKIP
>>> coef, intercept = fit_logistic(Z2, y2, w2, C=40.0, start=(coef, intercept))  # doctest: +SKIP
"""
from __future__ import annotations

import numpy as np

from .design import Design

__all__ = ["fit_logistic"]

# A Newton direction is solved to this share of the gradient's norm: a rough direction
# and a line search beat an exact one (liblinear's newer solver takes 0.5 too); on
# data/ it halves the conjugate-gradient steps.
_CG_TOL = 0.5


def _class_weights(y: np.ndarray, weight: np.ndarray, class_weight) -> np.ndarray:
    if class_weight is None:
        return weight
    if class_weight != "balanced":
        raise ValueError(f"class_weight must be None or 'balanced', got {class_weight!r}")
    # scikit-learn's "balanced" with sample weights: total weight over twice the class's.
    total, pos = weight.sum(), weight[y > 0].sum()
    return weight * np.where(y > 0, total / (2 * pos), total / (2 * (total - pos)))


def _log1pexp(t: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, t)


def fit_logistic(Z: Design, y: np.ndarray, weight: np.ndarray, *, C: float = 1.0,
                 class_weight: str | None = None, tol: float = 1e-4, max_iter: int = 100,
                 start: tuple[np.ndarray, float] | None = None,
                 squares: Design | None = None) -> tuple[np.ndarray, float]:
    """(coef over Z's columns, intercept) minimising
    ``½‖w‖² + ½b² + C Σ_i c_i log(1 + exp(-y_i (w·z_i + b)))`` with y in {0, 1} read as
    ±1 and c_i = weight_i times its class weight; `start` warm-starts from (coef, b)."""
    y = np.asarray(y)
    if y.min() == y.max():
        raise ValueError("fit_logistic needs both classes in y")
    sign = np.where(y > 0, 1.0, -1.0)
    cw = C * _class_weights(y, np.asarray(weight, dtype=np.float64), class_weight)
    n_pos = int((y > 0).sum())
    # liblinear's stopping rule for the primal problem: tol scaled by the minority share.
    eps = tol * max(min(n_pos, len(y) - n_pos), 1) / len(y)
    m = Z.n_columns
    if squares is None:
        squares = Z.squares()

    def rdot(u):
        return np.append(Z.rdot(u), u.sum())

    def dot(v):
        return Z.dot(v[:m]) + v[m]

    w = np.zeros(m + 1)
    if start is not None:
        w[:m], w[m] = start
    g0 = np.linalg.norm(rdot(-0.5 * cw * sign))  # the gradient at zero
    z = dot(w)
    for _ in range(max_iter):
        margin = sign * z
        f = 0.5 * w @ w + cw @ _log1pexp(-margin)
        s = 0.5 * (1.0 - np.tanh(0.5 * margin))  # 1 - sigmoid(margin), no overflow
        g = w + rdot(-cw * s * sign)
        gnorm = np.linalg.norm(g)
        if gnorm <= eps * g0:
            break
        d_row = cw * s * (1.0 - s)
        precond = 1.0 + np.append(squares.rdot(d_row), d_row.sum())
        step = _newton_step(lambda v: v + rdot(d_row * dot(v)), g, precond, gnorm)
        zstep = dot(step)
        slope = g @ step
        alpha = 1.0
        while True:
            w_new = w + alpha * step
            z_new = z + alpha * zstep
            f_new = 0.5 * w_new @ w_new + cw @ _log1pexp(-sign * z_new)
            if f_new <= f + 0.01 * alpha * slope or alpha < 1e-10:
                break
            alpha *= 0.5
        w, z = w_new, z_new
    return w[:m], float(w[m])


def _newton_step(hess, g: np.ndarray, precond: np.ndarray, gnorm: float) -> np.ndarray:
    """Preconditioned conjugate gradients for ``hess(d) = -g``."""
    d = np.zeros_like(g)
    r = -g
    zr = r / precond
    p = zr.copy()
    rz = r @ zr
    for _ in range(len(g)):
        if np.sqrt(r @ r) <= _CG_TOL * gnorm:
            break
        hp = hess(p)
        alpha = rz / (p @ hp)
        d += alpha * p
        r -= alpha * hp
        zr = r / precond
        rz_new = r @ zr
        p = zr + (rz_new / rz) * p
        rz = rz_new
    return d
