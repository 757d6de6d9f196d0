"""How the resolver's own refusals are answered: the client's mistakes as 4xx, the server's as 5xx."""

from __future__ import annotations

import json

from pydantic import BaseModel

from funnel_core.http.app import create_app
from local.lambda_events import LambdaContext, http_event


class Answer(BaseModel):
    count: int


def _resolve(route_result: object) -> dict:
    app = create_app("Tests")

    @app.get("/me")
    def answer() -> Answer:
        return route_result  # type: ignore[return-value]

    result = app.resolve(http_event("me/get"), LambdaContext())
    return {"status": result["statusCode"], **json.loads(result["body"])}


def test_an_answer_that_does_not_match_its_model_is_a_500_not_the_clients_422():
    answered = _resolve({"count": "many"})

    assert answered["status"] == 500
    assert answered["error"]["code"] == "internal_error"


def test_an_answer_that_matches_its_model_is_sent():
    assert _resolve(Answer(count=3)) == {"status": 200, "count": 3}


def test_a_refusal_for_now_says_when_to_try_again():
    from funnel_core.errors import Busy

    app = create_app("Tests")

    @app.get("/me")
    def answer() -> Answer:
        raise Busy(retry_after=2)

    result = app.resolve(http_event("me/get"), LambdaContext())

    assert result["statusCode"] == 503
    assert result["headers"]["Retry-After"] == "2"
    assert json.loads(result["body"])["error"]["code"] == "busy"
