"""The shipped corpus and model: coverage, independence of the test set, provenance."""
import json
from pathlib import Path

import pytest

from classifier.dataset import coverage, near_duplicates, normalized_key
from classifier.io import read_labelled
from classifier.persist import sha256_file

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = ("industry", "agro", "energy", "petrochem", "transport", "trade", "humanitarian", "digital")


@pytest.fixture(scope="module")
def train():
    return read_labelled(ROOT / "data" / "train.csv")


@pytest.fixture(scope="module")
def test():
    return read_labelled(ROOT / "data" / "test.csv")


def test_train_coverage(train):
    cov = coverage(train.texts, train.label_lists)
    assert cov["rows"] >= 2000
    assert set(cov["positives"]) == set(TAXONOMY)
    assert min(cov["positives"].values()) >= 200, cov["positives"]
    assert cov["no_label_share"] >= 0.15
    assert cov["multi_label_share"] >= 0.25
    assert cov["words_min"] <= 3 and cov["chars_max"] >= 700


def test_test_set_size_and_labels(test):
    cov = coverage(test.texts, test.label_lists)
    assert cov["rows"] >= 400
    assert set(cov["positives"]) == set(TAXONOMY)


def test_labels_are_written_in_taxonomy_order(train, test):
    for data in (train, test):
        for row in data.label_lists:
            assert row == [l for l in TAXONOMY if l in row]


def test_no_test_paragraph_is_in_train(train, test):
    assert not {normalized_key(t) for t in train.texts} & {normalized_key(t) for t in test.texts}


def test_no_near_duplicates_in_train_and_test(train, test):
    pairs = near_duplicates(train.texts + test.texts)
    assert pairs == [], pairs[:5]


def test_near_duplicate_check_catches_templated_rewrites():
    a = "Товарооборот между Татарстаном и Казахстаном по итогам 2024 года вырос на 12% и составил 1,2 млрд долларов."
    b = "Товарооборот между Башкортостаном и Казахстаном по итогам 2023 года вырос на 15% и составил 1,4 млрд долларов."
    c = "В Казани открылся новый корпус университета для иностранных студентов."
    assert [p[:2] for p in near_duplicates([a, b, c])] == [(0, 1)]


def test_shipped_model_is_trained_on_the_shipped_data():
    card = json.loads((ROOT / "models" / "sectors.json").read_text(encoding="utf-8"))
    assert card["training"]["sha256"] == sha256_file(ROOT / "data" / "train.csv")
    assert card["model_sha256"] == sha256_file(ROOT / "models" / "sectors.joblib")
    assert card["test"]["sha256"] == sha256_file(ROOT / "data" / "test.csv")
    assert set(card["test"]["metrics"]["per_label"]) == set(TAXONOMY)
    assert card["labels"] == list(TAXONOMY)


def test_form_table_predicts_as_parsing_every_word_does(test):
    from classifier import load_model

    model = load_model()
    fast = model.predict(test.texts)
    model.featurizer_.set_params(lookup="parse")
    slow = model.predict(test.texts)
    agree = sum(a == b for a, b in zip(fast, slow)) / len(fast)
    assert agree >= 0.995


def test_shipped_model_meets_the_quality_target(test):
    from classifier import load_model
    from classifier.evaluate import evaluate

    report = evaluate(load_model(), test.texts, test.label_lists)
    assert report["macro_f1"] >= 0.85
    assert min(m["f1"] for m in report["per_label"].values()) >= 0.75
