"""scikit-learn's estimator conventions without importing scikit-learn.

Importing sklearn takes ~1.5 s, three times the rest of a cold start, and tagging needs
none of it: the estimators here implement `get_params`/`set_params` the way
`sklearn.base.BaseEstimator` does, so `clone`, pipelines and grid search work with them,
while `load_model` and `predict` stay light. Training imports sklearn when it runs.
"""
from __future__ import annotations

import inspect

__all__ = ["ParamsMixin", "NotFittedError", "check_fitted"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before `fit` (same bases as sklearn's NotFittedError)."""


def check_fitted(estimator, attribute: str) -> None:
    """Raise NotFittedError unless `estimator` has the fitted `attribute`."""
    if not hasattr(estimator, attribute):
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet; call 'fit' first."
        )


class ParamsMixin:
    """`get_params`, `set_params` and a repr that shows the non-default parameters."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> dict:
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        valid = self._get_param_names()
        nested: dict[str, dict] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {valid!r}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        shown = [
            f"{k}={v!r}"
            for k, v in self.get_params(deep=False).items()
            if not (k in defaults and _same(v, defaults[k]))
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    def __sklearn_tags__(self):
        # Only asked for by sklearn itself, so importing it here costs nothing extra.
        from sklearn.utils import Tags, TargetTags, TransformerTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=TransformerTags() if hasattr(self, "transform") else None,
        )


def _same(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return a is b
