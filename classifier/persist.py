"""The model file format: a joblib pickle plus a JSON model card beside it.

The card (``sectors.json`` for ``sectors.joblib``) records labels, thresholds, metrics,
training data, library versions and the sha256 of the joblib file. Loading checks that
sha256 before unpickling, because unpickling a tampered file can run code: load only
models you trust.

>>> save_model(clf, "models/my.joblib")         # doctest: +SKIP
>>> load_model("models/my.joblib").labels        # doctest: +SKIP
('industry', 'agro', ...)
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import platform
import tempfile
import warnings
from importlib import resources
from pathlib import Path

__all__ = [
    "ModelError",
    "save_model",
    "load_model",
    "card_path",
    "read_card",
    "default_model_path",
    "sha256_file",
    "atomic_write",
    "library_versions",
]

FORMAT_VERSION = 1


class ModelError(ValueError):
    """A model file that cannot be trusted or read."""


def sha256_file(path: str | os.PathLike) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def card_path(path: str | os.PathLike) -> Path:
    """The JSON card that goes with a model file: same name, `.json`."""
    return Path(path).with_suffix(".json")


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model depends on."""
    import joblib
    import numpy
    import pandas
    import pymorphy3
    import scipy
    import sklearn

    from . import __version__

    return {
        "sectors": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "joblib": joblib.__version__,
        "pymorphy3": getattr(pymorphy3, "__version__", "unknown"),
    }


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", **kwargs):
    """Open a temporary file beside `path`; rename it over `path` only on success.

    A crash or an exception leaves `path` as it was (absent or the old file).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _usual_mode(fd)
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def save_model(model, path: str | os.PathLike, metadata: dict | None = None) -> Path:
    """Write `model` to `path` (joblib) and its card to `path` with `.json`, atomically.

    `metadata` is merged into the card (train.py puts the training data's hash there).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Both files are written in full under temporary names first and renamed back to
    # back at the end, so a failed or killed save leaves the old pair untouched.
    tmp_model = _temp_beside(path)
    tmp_card = _temp_beside(card_path(path))
    import joblib

    try:
        with open(tmp_model, "wb") as fh:
            joblib.dump(model, fh, compress=3)
            fh.flush()
            os.fsync(fh.fileno())
        card = _card(model, tmp_model, metadata)
        with open(tmp_card, "w", encoding="utf-8") as fh:
            json.dump(card, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_model, path)
        os.replace(tmp_card, card_path(path))
    finally:
        for tmp in (tmp_model, tmp_card):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return path


def _temp_beside(path: Path) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    _usual_mode(fd)
    os.close(fd)
    return tmp


def _usual_mode(fd: int) -> None:
    # mkstemp makes files only the owner can read; a written model or output should get
    # the permissions any new file gets (0666 less the umask).
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)


def _card(model, model_file: str, metadata: dict | None) -> dict:
    card = {"format_version": FORMAT_VERSION}
    data_sha = ((metadata or {}).get("training") or {}).get("sha256")
    if data_sha:
        # First of the hashes: a reader looking for "the" sha256 finds the data's.
        card["data_sha256"] = data_sha
    card |= {
        "model_sha256": sha256_file(model_file),
        "model_bytes": os.path.getsize(model_file),
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "labels": list(model.labels),
        "thresholds": {l: round(float(t), 4) for l, t in zip(model.labels, model.thresholds_)},
        "params": {k: _jsonable(v) for k, v in model.get_params().items()},
        "n_features": int(model.coef_.shape[1]),
        "training": {"rows": int(model.n_train_)},
        "cv_metrics": model.cv_scores_,
        "versions": library_versions(),
    }
    for key, value in (metadata or {}).items():
        if isinstance(value, dict) and isinstance(card.get(key), dict):
            card[key] = {**card[key], **value}
        else:
            card[key] = value
    return card


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return repr(value)


def _installed_version(dist: str) -> str | None:
    # Package metadata, not an import: importing sklearn would double the cold start.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def default_model_path() -> Path:
    """The shipped model: models/sectors.joblib, packaged as `classifier.models`."""
    return Path(str(resources.files("classifier.models") / "sectors.joblib"))


def read_card(path: str | os.PathLike) -> dict:
    """The JSON card of a model file."""
    cpath = card_path(path)
    try:
        with open(cpath, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise ModelError(f"model card missing: {cpath} (needed to verify {path})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"model card unreadable: {cpath}: {exc}") from None


def _is_model_of(model, card: dict) -> bool:
    # This module knows no model class (the model imports it to save itself): a model is
    # whatever predicts with the labels its card names.
    try:
        return callable(model.predict_with_proba) and list(model.labels) == card.get("labels")
    except Exception:
        return False


def load_model(path: str | os.PathLike | None = None):
    """Load a SectorClassifier; no argument loads the shipped default model.

    The file's sha256 must match its card, or it is refused unread.

    >>> model = load_model()
    >>> model.predict(["Товарооборот между странами вырос на 15%"])   # doctest: +SKIP
    [['trade']]
    """
    import joblib

    path = Path(path) if path is not None else default_model_path()
    if path.suffix.lower() == ".json":
        raise ModelError(
            f"{path} is a model card; pass the model file itself: {path.with_suffix('.joblib')}"
        )
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    card = read_card(path)
    want = card.get("model_sha256")
    if not want or sha256_file(path) != want:
        raise ModelError(
            f"model file does not match the sha256 in its card, refusing to load: {path}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn's own version warning; ours is below
            model = joblib.load(path)
    except Exception:
        raise ModelError(f"not a valid sectors model: {path}") from None
    if not _is_model_of(model, card):
        raise ModelError(f"not a valid sectors model: {path}")
    trained = card.get("versions", {}).get("scikit-learn")
    running = _installed_version("scikit-learn")
    if trained and running and trained != running:
        warnings.warn(
            f"{path} was trained with scikit-learn {trained}, "
            f"running with {running}; predictions may differ",
            stacklevel=2,
        )
    return model
