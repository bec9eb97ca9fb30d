import os
import json

import joblib
import pytest

from classifier import ModelError, load_model
from classifier.persist import card_path, save_model, sha256_file


def test_save_load_round_trip(fitted, tmp_path, corpus):
    path = tmp_path / "m.joblib"
    fitted.save(path)
    again = load_model(path)
    assert again.labels == fitted.labels
    assert again.predict(corpus[0]) == fitted.predict(corpus[0])


def test_card_records_what_a_user_needs(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    save_model(fitted, path, metadata={"training": {"sha256": "ab" * 32}})
    card = json.loads(card_path(path).read_text(encoding="utf-8"))
    assert card["model_sha256"] == sha256_file(path)
    assert card["labels"] == list(fitted.labels)
    assert set(card["thresholds"]) == set(fitted.labels)
    assert card["training"] == {"rows": fitted.n_train_, "sha256": "ab" * 32}
    assert {"scikit-learn", "pymorphy3", "numpy", "python"} <= set(card["versions"])
    assert card["cv_metrics"]["per_label"]["industry"]["f1"] >= 0
    assert card["created"]


def test_tampered_model_is_refused_before_unpickling(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    fitted.save(path)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        load_model(path)


def _with_card(path, fitted, tmp_path):
    fitted.save(tmp_path / "ref.joblib")
    card = json.loads((tmp_path / "ref.json").read_text(encoding="utf-8"))
    card["model_sha256"] = sha256_file(path)
    card_path(path).write_text(json.dumps(card), encoding="utf-8")


def test_truncated_file_is_not_a_valid_model(fitted, tmp_path):
    path = tmp_path / "cut.joblib"
    fitted.save(tmp_path / "full.joblib")
    path.write_bytes((tmp_path / "full.joblib").read_bytes()[:500])
    _with_card(path, fitted, tmp_path)
    with pytest.raises(ModelError, match=f"not a valid sectors model: {path}"):
        load_model(path)


def test_other_pickles_are_not_valid_models(fitted, tmp_path):
    path = tmp_path / "dict.joblib"
    joblib.dump({"a": 1}, path)
    _with_card(path, fitted, tmp_path)
    with pytest.raises(ModelError, match="not a valid sectors model"):
        load_model(path)


def test_missing_card_or_file(tmp_path, fitted):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope.joblib")
    joblib.dump(fitted, tmp_path / "bare.joblib")
    with pytest.raises(ModelError, match="card missing"):
        load_model(tmp_path / "bare.joblib")


def test_other_sklearn_version_loads_with_a_warning(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    fitted.save(path)
    card = json.loads(card_path(path).read_text(encoding="utf-8"))
    card["versions"]["scikit-learn"] = "0.0.1"
    card_path(path).write_text(json.dumps(card), encoding="utf-8")
    with pytest.warns(UserWarning, match=r"0\.0\.1.*running with"):
        load_model(path)


def test_failed_save_leaves_the_old_model_intact(fitted, tmp_path, monkeypatch, corpus):
    path = tmp_path / "m.joblib"
    fitted.save(path)
    before = path.read_bytes(), card_path(path).read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(joblib, "dump", boom)
    with pytest.raises(OSError, match="disk full"):
        fitted.save(path)
    assert (path.read_bytes(), card_path(path).read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.joblib", "m.json"]
    monkeypatch.undo()
    assert load_model(path).predict(corpus[0][:2]) == fitted.predict(corpus[0][:2])


def test_shipped_model_loads_by_default():
    model = load_model()
    assert len(model.labels) == 8
    assert model.predict(["Товарооборот между Татарстаном и Казахстаном вырос на 15%"]) == [["trade"]]


def test_saved_files_get_the_usual_permissions(fitted, tmp_path):
    path = tmp_path / "m.joblib"
    fitted.save(path)
    umask = os.umask(0)
    os.umask(umask)
    for p in (path, path.with_suffix(".json")):
        assert p.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_loaded_model_tags_without_unpacking_its_tables(fitted, tmp_path, corpus):
    # Tagging a big file must not hold the form table and the vocabulary as dicts of
    # str (~45 MB for the shipped model); they are unpacked when first asked for.
    texts, _ = corpus
    path = str(tmp_path / "m.joblib")
    save_model(fitted, path)
    loaded = load_model(path)
    many = texts * 3  # enough texts for the numpy index
    assert (loaded.predict_proba(many) == fitted.predict_proba(many)).all()
    kept = loaded.featurizer_.__dict__
    assert "form_table_" not in kept and "vocabulary_" not in kept
    assert loaded.featurizer_.form_table_ == fitted.featurizer_.form_table_
    assert loaded.featurizer_.vocabulary_ == fitted.featurizer_.vocabulary_
    assert (loaded.predict_proba(many) == fitted.predict_proba(many)).all()
    assert loaded.explain(texts[0]) == fitted.explain(texts[0])
