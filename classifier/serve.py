"""The HTTP face: tag texts or an article over HTTP, and a page to paste an article into.

`create_app` loads the model once and returns a FastAPI app; `sectors serve` runs it under
uvicorn, one model per worker process (`pip install -e '.[serve]'`).

    POST /v1/tag     {"texts": [...]} or {"article": "..."}, options proba, explain,
                     threshold, top_k -> {"results": [{"text", "labels", ...}, ...]}
    GET  /v1/model   the model card          GET /healthz   liveness
    GET  /           the page                GET /docs      OpenAPI

>>> from fastapi.testclient import TestClient
>>> client = TestClient(create_app())                       # the shipped model
>>> client.post("/v1/tag", json={"texts": ["Экспорт зерна в Китай вырос"]}).json()  # doctest: +SKIP
{'results': [{'text': 'Экспорт зерна в Китай вырос', 'labels': ['agro', 'trade']}]}

Requests are parsed and checked by hand rather than by a pydantic model bound to the
route: FastAPI's per-item validation of a 10,000-text list and its response encoding cost
several times the model's own time on small requests. The pydantic models below describe
the same shapes for the OpenAPI docs, and `TagEndpoint` answers POST /v1/tag before the
router. Tagging runs on the event loop (no thread-pool hop) unless the body is large: it
is CPU work of a millisecond or two per request, and one worker process per core is how
the service scales.
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import orjson
from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .persist import default_model_path, load_model, read_card
from .tagging import tag_texts
from .text import BREAK, TOKEN_RE, lemmatize, parse_article

__all__ = ["create_app", "app_from_env", "MAX_TEXTS", "MAX_BODY_BYTES", "MODEL_ENV"]

MAX_TEXTS = 10_000
MAX_BODY_BYTES = 5 * 1024 * 1024
# How `sectors serve --workers N` tells each worker process which model to load.
MODEL_ENV = "SECTORS_MODEL"

_OPTIONS = ("proba", "explain", "places", "threshold", "top_k")
_FIELDS = frozenset(("texts", "article", *_OPTIONS))


# -- shapes, for the OpenAPI docs ----------------------------------------------------


class TagRequest(BaseModel):
    """Give `texts` (paragraphs, tagged as they are) or `article` (split into paragraphs
    like `sectors tag` does with a .txt file, a leading `date YYYY-MM-DD` header read)."""

    texts: list[str] | None = Field(None, min_length=1, max_length=MAX_TEXTS,
                                    examples=[["Экспорт зерна в Китай вырос на 12%."]])
    article: str | None = Field(None, examples=["date 2025-11-01 Визит в Казахстан.\n"
                                                "Республики обсудили поставки зерна."])
    proba: bool = Field(False, description="add each label's probability")
    explain: bool = Field(False, description="add the terms behind each label, with their "
                                             "character spans in the text")
    places: bool = Field(False, description="add the countries and Russian regions each paragraph names (ISO codes)")
    threshold: float | None = Field(None, ge=0, le=1, description="one cut for all labels")
    top_k: int | None = Field(None, ge=1, description="keep at most the k most probable labels")


class Term(BaseModel):
    term: str
    weight: float
    spans: list[tuple[int, int]] = Field(description="[start, end) character offsets in text")


class Result(BaseModel):
    text: str
    labels: list[str]
    paragraph: int | None = Field(None, description="article only: 1-based paragraph number")
    date: str | None = Field(None, description="article only: the date header, if any")
    proba: dict[str, float] | None = None
    evidence: dict[str, list[Term]] | None = None


class TagResponse(BaseModel):
    results: list[Result]


class ErrorResponse(BaseModel):
    error: str = Field(examples=["texts[3]: expected a string, got null"])


# -- request checking ----------------------------------------------------------------


class ApiError(Exception):
    """A client error: HTTP status and a one-line message naming the field."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "true/false",
               int: "a number", float: "a number", type(None): "null"}


def _kind(value) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


class _Disconnected(Exception):
    """The client went away before its request body arrived."""


async def read_body(scope, receive) -> bytes:
    """The request body from an ASGI `receive`, refused (413) past MAX_BODY_BYTES."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            if value.isdigit() and int(value) > MAX_BODY_BYTES:
                raise ApiError(413, f"body: {int(value):,} bytes, at most {MAX_BODY_BYTES:,}")
            break
    chunks, size, more = [], 0, True
    while more:  # a chunked upload has no length to check first
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, f"body: over {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
        more = message.get("more_body", False)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def parse_request(body: bytes) -> dict:
    """The checked request: `texts` or `article`, and every option with its default.

    Raises ApiError with a one-line message naming the field.
    """
    if not body.strip():
        raise ApiError(400, "body: empty, expected a JSON object with texts or article")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"body: not valid UTF-8 at byte {exc.start}") from None
    try:
        req = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"body: malformed JSON at line {exc.lineno}, column {exc.colno}: "
                            f"{exc.msg}") from None
    if not isinstance(req, dict):
        raise ApiError(422, f"body: expected a JSON object with texts or article, got {_kind(req)}")
    unknown = [k for k in req if k not in _FIELDS]
    if unknown:
        raise ApiError(422, f"{unknown[0]}: unknown field (expected texts or article, and "
                            f"{', '.join(_OPTIONS)})")
    out = {"texts": None, "article": None}
    if ("texts" in req) == ("article" in req):
        raise ApiError(422, "body: give either texts (a list of strings) or article (a string)")
    if "texts" in req:
        out["texts"] = _check_texts(req["texts"])
    else:
        out["article"] = _check_article(req["article"])
    for name in ("proba", "explain", "places"):
        value = req.get(name, False)
        if type(value) is not bool:
            raise ApiError(422, f"{name}: expected true or false, got {_kind(value)}")
        out[name] = value
    threshold = req.get("threshold")
    if threshold is not None:
        if type(threshold) not in (int, float) or not 0 <= threshold <= 1:
            raise ApiError(422, f"threshold: expected a number from 0 to 1, got {threshold!r}")
        threshold = float(threshold)
    top_k = req.get("top_k")
    if top_k is not None and (type(top_k) is not int or top_k < 1):
        raise ApiError(422, f"top_k: expected a whole number of at least 1, got {top_k!r}")
    out["threshold"], out["top_k"] = threshold, top_k
    return out


def _check_texts(texts) -> list[str]:
    if isinstance(texts, str):
        raise ApiError(422, 'texts: expected a list of strings, got a string (wrap it: ["..."])')
    if not isinstance(texts, list):
        raise ApiError(422, f"texts: expected a list of strings, got {_kind(texts)}")
    if not texts:
        raise ApiError(422, "texts: empty list, give at least one text")
    if len(texts) > MAX_TEXTS:
        raise ApiError(413, f"texts: {len(texts):,} texts, at most {MAX_TEXTS:,} per request")
    for i, text in enumerate(texts):
        # isspace stops at the first letter, so this loop stays cheap on every request.
        if type(text) is not str:
            raise ApiError(422, f"texts[{i}]: expected a string, got {_kind(text)}")
        if not text or text.isspace():
            raise ApiError(422, f"texts[{i}]: empty text")
    return texts


def _check_article(article) -> str:
    if not isinstance(article, str):
        raise ApiError(422, f"article: expected a string, got {_kind(article)}")
    if not article.strip():
        raise ApiError(422, "article: empty, no paragraphs to tag")
    return article


# -- tagging -------------------------------------------------------------------------


def term_spans(text: str, term: str) -> list[tuple[int, int]]:
    """[start, end) character spans of `term` (a lemma, or two lemmas for a bigram) in
    `text`, found the way the featurizer reads text: function words are skipped between
    the two words of a bigram, numbers break it.

    >>> term_spans("Поставки зерна и муки выросли", "поставка зерно")
    [(0, 14)]
    """
    words = term.split(" ")
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: no spans
        return []
    spans, prev = [], None
    for match in TOKEN_RE.finditer(lowered.replace("ё", "е")):
        lemma = lemmatize(match.group())
        if lemma is None:  # a function word: a bigram spans it
            continue
        if lemma == BREAK:
            prev = None
            continue
        if len(words) == 1:
            if lemma == words[0]:
                spans.append((match.start(), match.end()))
        elif prev is not None and (prev[0], lemma) == (words[0], words[1]):
            spans.append((prev[1], match.end()))
        prev = (lemma, match.start())
    return spans


class Tagger:
    """The loaded model and what one request needs from it."""

    def __init__(self, model, card: dict):
        self.model = model
        self.card = card
        self.labels = list(model.labels)

    def tag(self, req: dict) -> list[dict]:
        if req["texts"] is not None:
            texts, extra = req["texts"], None
        else:
            article = parse_article(req["article"])
            texts = article.paragraphs
            if not texts:
                raise ApiError(422, "article: no paragraphs to tag")
            if len(texts) > MAX_TEXTS:
                raise ApiError(413, f"article: {len(texts):,} paragraphs, at most {MAX_TEXTS:,}")
            extra = article.date
        label_lists, P, evidence = tag_texts(
            self.model, texts, req["threshold"], req["top_k"], req["explain"]
        )
        results = [{"text": t, "labels": row} for t, row in zip(texts, label_lists)]
        if req["article"] is not None:
            for i, r in enumerate(results, 1):
                r["paragraph"], r["date"] = i, extra
        if req["proba"]:
            labels = self.labels
            for r, row in zip(results, P.round(4).tolist()):
                r["proba"] = dict(zip(labels, row))
        if req["places"]:
            from .places import extract_places

            for r, codes in zip(results, extract_places(texts)):
                r["places"] = codes
        if evidence is not None:
            for r, terms in zip(results, evidence):
                r["evidence"] = {
                    label: [{"term": term, "weight": weight, "spans": term_spans(r["text"], term)}
                            for term, weight in pairs]
                    for label, pairs in terms.items()
                }
        return results


def _json(payload, status: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code=status, media_type="application/json")


def _error(status: int, message: str) -> Response:
    return _json({"error": " ".join(str(message).split())}, status)


_JSON_HEADERS = [(b"content-type", b"application/json")]
# Bodies above these sizes are tagged in a thread, so the worker keeps answering
# /healthz and small requests while it works through 10,000 texts (seconds with explain);
# below them the thread hop would cost more than the tagging.
_INLINE_BYTES, _INLINE_BYTES_EXPLAIN = 64 * 1024, 8 * 1024


async def tag_off_loop(tagger: "Tagger", body: bytes) -> list[dict]:
    """The results for a request body: on the event loop when small, else in a thread."""
    req = parse_request(body)
    if len(body) <= (_INLINE_BYTES_EXPLAIN if req["explain"] else _INLINE_BYTES):
        return tagger.tag(req)
    return await to_thread.run_sync(tagger.tag, req)


class TagEndpoint:
    """POST /v1/tag as plain ASGI in front of FastAPI's router; every other request
    passes through.

    The router, its middleware and Request/Response objects cost about as much CPU as
    tagging one paragraph (measured, app only: 195 us per 1-paragraph request through the
    router, 125 us here, of which `predict` is 100), and this is the path clients call
    in a loop. The FastAPI route of the same path documents it and answers the same way.
    """

    def __init__(self, app, tagger: "Tagger"):
        self.app = app
        self.tagger = tagger

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/v1/tag" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        try:
            body = await read_body(scope, receive)
            status, payload = 200, {"results": await tag_off_loop(self.tagger, body)}
        except ApiError as exc:
            status, payload = exc.status, {"error": exc.message}
        except _Disconnected:
            return
        data = orjson.dumps(payload)
        await send({"type": "http.response.start", "status": status,
                    "headers": _JSON_HEADERS + [(b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


@lru_cache(maxsize=1)
def _page() -> bytes:
    return (resources.files("classifier") / "static" / "index.html").read_bytes()


# -- the app -------------------------------------------------------------------------


def create_app(model_path: str | os.PathLike | None = None) -> FastAPI:
    """A FastAPI app around the model at `model_path` (default: the shipped model).

    The model is loaded here, once; a bad model file raises `ModelError` before any
    request is served.

    >>> app = create_app("models/sectors.joblib")               # doctest: +SKIP
    >>> import uvicorn; uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
    """
    path = Path(model_path) if model_path is not None else default_model_path()
    tagger = Tagger(load_model(path), read_card(path))
    # Warm the lemma analyzer and the model's code paths so the first request is not
    # slow, and read the page now so a broken install fails at start.
    _page()
    tagger.tag(parse_request(orjson.dumps({"texts": ["Экспорт зерна вырос"], "explain": True})))

    app = FastAPI(
        title="sectors",
        version=__version__,
        description="Tag paragraphs of Russian cooperation news with economic sectors.",
    )

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _error(exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, f"{request.url.path}: {exc.detail}")

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return _error(422, f"{field}: {first.get('msg')}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        return _error(500, f"internal error: {type(exc).__name__}")

    errors = {code: {"model": ErrorResponse} for code in (400, 413, 422)}

    @app.post(
        "/v1/tag",
        summary="Tag texts or an article",
        response_model=None,
        responses={200: {"model": TagResponse}, **errors},
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": TagRequest.model_json_schema()}}}},
    )
    async def tag(request: Request) -> Response:
        """One result per paragraph, in order: `text` and `labels` (the same labels as
        `predict`), and `proba` / `evidence` when asked."""
        try:
            body = await read_body(request.scope, request.receive)
        except _Disconnected:
            return Response(status_code=499)
        return _json({"results": await tag_off_loop(tagger, body)})

    @app.get("/v1/model", summary="The model card", response_model=None)
    async def model_card() -> Response:
        return _json(tagger.card)

    @app.get("/healthz", summary="Liveness, with the worker's process id", response_model=None)
    async def healthz() -> Response:
        return _json({"status": "ok", "pid": os.getpid(), "labels": tagger.labels})

    @app.get("/", include_in_schema=False, response_model=None)
    async def page() -> Response:
        return Response(_page(), media_type="text/html; charset=utf-8")

    app.add_middleware(TagEndpoint, tagger=tagger)
    return app


def app_from_env() -> FastAPI:
    """`create_app` for the model named in the SECTORS_MODEL environment variable: the
    factory each uvicorn worker process calls (`sectors serve --workers N`)."""
    return create_app(os.environ.get(MODEL_ENV) or None)
