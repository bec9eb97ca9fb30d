"""tag_dask on a real multi-process LocalCluster, and tag_pandas as a plain pandas UDF."""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from classifier.tagging import output_columns

from tests.conftest import CORPUS

# Paragraphs the model was not trained on, plus rows with no usable text.
UNSEEN = [
    "Завод в Елабуге нарастил выпуск грузовиков и станков.",
    "Аграрии собрали урожай пшеницы и зерна раньше срока.",
    "Новый авиарейс свяжет Казань с Алматы.",
    "Студенты и преподаватели университетов встретились на выставке.",
    "Железнодорожный маршрут повезёт зерно в порт.",
    "Молочная ферма получила субсидии на корма.",
    "Театр показал спектакль для студентов из Ташкента.",
    "Контейнерные поезда пойдут через логистический центр.",
    "Предприятие запустило линию сборки комбайнов для фермеров.",
    "Делегация провела переговоры в правительстве.",
    "Птицефабрика открыла новый цех переработки мяса.",
    "Аэропорт принял первый рейс из Душанбе.",
    "Школьники приехали на олимпиаду в Казань.",
    "Станкостроители и машиностроители обсудили выпуск оборудования.",
    "Визит завершился подписанием документов.",
    "Грузовики КАМАЗ доставят по железной дороге.",
    "Посевная кампания в области идёт по плану.",
    "Концерт и выставка живописи открыли дни культуры.",
    "Транзитный коридор сократит время доставки грузов.",
    "Пресс-служба сообщила о встрече губернатора.",
    "qwerty zxcv",  # no known word: no label
    "",
    None,
]


@pytest.fixture()
def model_file(fitted, tmp_path):
    path = tmp_path / "model" / "sectors.joblib"
    fitted.save(path)
    return path


@pytest.fixture()
def paragraphs():
    texts = [t for t, _ in CORPUS] + UNSEEN + [t for t, _ in CORPUS][:1]
    assert len(texts) == 60
    return pd.DataFrame({"id": np.arange(len(texts)), "text": texts})


def _expected_labels(model, texts) -> list[str]:
    return [";".join(row) for row in model.predict(["" if t is None else t for t in texts])]


def _cached_model_ids():
    # Runs inside each worker process (via Client.run).
    from classifier import distributed

    return {path: id(model) for path, (_, model) in distributed._MODELS.items()}


def test_tag_dask_on_local_cluster_matches_single_process(fitted, model_file, paragraphs):
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import dask.dataframe as dd

    from classifier.distributed import tag_dask

    ddf = dd.from_pandas(paragraphs, npartitions=3, sort=False)
    assert ddf.npartitions == 3
    tagged = tag_dask(ddf, model_path=model_file)

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        result = tagged.compute()
        loaded = client.run(_cached_model_ids)
        # A second job on the same workers reuses the models loaded by the first.
        tagged.compute()
        assert client.run(_cached_model_ids) == loaded

    # Every worker that ran a partition loaded exactly this one model, in its own process
    # (the parent process never loaded it: the graph carries only the path).
    key = os.fspath(model_file)
    assert all(set(ids) == {key} for ids in loaded.values() if ids)
    assert sum(1 for ids in loaded.values() if ids) >= 1
    from classifier import distributed as cdist

    assert key not in cdist._MODELS

    assert len(result) == len(paragraphs)
    assert result["id"].tolist() == paragraphs["id"].tolist()
    assert result.index.tolist() == paragraphs.index.tolist()
    assert list(result.columns) == ["id", "text", "labels"]
    assert list(result.columns) == list(tagged.columns)
    assert result.dtypes.equals(tagged.dtypes)
    assert result["labels"].tolist() == _expected_labels(fitted, paragraphs["text"])
    assert (result["labels"] != "").any() and (result["labels"] == "").any()


def test_tag_pandas_with_proba(fitted, model_file, paragraphs):
    from classifier.distributed import tag_pandas

    out = tag_pandas(paragraphs, model_path=model_file, proba=True)

    assert list(out.columns) == output_columns(fitted.labels, base=("id", "text"), proba=True)
    assert out["id"].tolist() == paragraphs["id"].tolist()
    assert out["labels"].tolist() == _expected_labels(fitted, paragraphs["text"])
    texts = paragraphs["text"].fillna("").tolist()
    P = np.round(fitted.predict_proba(texts), 4)
    got = out[[f"p_{label}" for label in fitted.labels]].to_numpy()
    np.testing.assert_allclose(got, P)
    # the caller's frame is not modified
    assert list(paragraphs.columns) == ["id", "text"]


def test_tag_pandas_empty_batch_has_string_columns(model_file, paragraphs):
    # Spark and Dask can hand the UDF an empty batch; its columns must match a full one.
    from classifier.distributed import tag_pandas

    full = tag_pandas(paragraphs.head(3), model_path=model_file, proba=True, explain=True)
    empty = tag_pandas(paragraphs.iloc[:0], model_path=model_file, proba=True, explain=True)
    assert len(empty) == 0
    assert list(empty.columns) == list(full.columns)
    assert empty["labels"].dtype == full["labels"].dtype
    assert empty["explain"].dtype == full["explain"].dtype


def test_tag_pandas_reloads_a_model_replaced_at_the_same_path(fitted, model_file):
    from classifier import SectorClassifier
    from classifier.distributed import tag_pandas

    frame = pd.DataFrame({"text": ["Завод запустил выпуск грузовиков."]})
    first = tag_pandas(frame, model_path=model_file, proba=True)
    assert "p_humanitarian" in first.columns

    # Retrain without one label and save over the same file, as a new training run would.
    rows = [(t, l) for t, l in CORPUS if "humanitarian" not in l]
    other = SectorClassifier(cv=3, random_state=0).fit([t for t, _ in rows], [l for _, l in rows])
    other.save(model_file)
    st = os.stat(model_file)
    os.utime(model_file, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # coarse-mtime filesystems

    second = tag_pandas(frame, model_path=model_file, proba=True)
    assert "p_humanitarian" not in second.columns


def test_tag_dask_with_places_on_local_cluster(fitted, model_file, paragraphs):
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import dask.dataframe as dd

    from classifier.distributed import tag_dask
    from classifier.places import extract_places

    ddf = dd.from_pandas(paragraphs, npartitions=2, sort=False)
    tagged = tag_dask(ddf, model_path=model_file, places=True, proba=True)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        result = tagged.compute()

    assert list(result.columns) == output_columns(fitted.labels, base=("id", "text"),
                                                  proba=True, places=True)
    assert list(result.columns) == list(tagged.columns)
    assert result.dtypes.equals(tagged.dtypes)
    texts = paragraphs["text"].fillna("").tolist()
    assert result["places"].tolist() == [";".join(row) for row in extract_places(texts)]
    assert (result["places"] != "").any() and (result["places"] == "").any()
    assert result["labels"].tolist() == _expected_labels(fitted, paragraphs["text"])


def test_tag_pandas_with_places(model_file):
    from classifier.distributed import tag_pandas

    frame = pd.DataFrame({"text": ["Делегация Татарстана прибыла в Ташкент.", "", None]})
    out = tag_pandas(frame, model_path=model_file, places=True)
    assert out["places"].tolist() == ["RU-TA;UZ", "", ""]
