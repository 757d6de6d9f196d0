"""API Gateway's HTTP API in front of the template's functions, as a WSGI app.

A request goes through what API Gateway does, in its order: CORS preflight, route selection
(404 ``{"message":"Not Found"}``), the JWT authorizer (401 ``{"message":"Unauthorized"}``), a
payload format 2.0 event, the function, and the mapping of its result back to HTTP (500
``{"message":"Internal Server Error"}`` when the function fails, 503 ``{"message":"Service
Unavailable"}`` when it runs past its ``Timeout`` and is stopped). Besides the API it serves
``GET /openapi.json`` and ``GET /docs``, which on AWS live elsewhere.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from local.cors import Cors
from local.docs import DOCS_PATH, OPENAPI_PATH, docs_asset, docs_page
from local.http_api import ApiContext, build_event, gateway_response, http_response, raw_path
from local.jwt_authorizer import JwtAuthorizer, Unauthorized
from local.lambda_runtime import LambdaFunction, LambdaTimeout
from local.openapi import openapi_document
from local.routing import RouteTable
from local.template import TEMPLATE_PATH, http_api_cors, http_routes
from local.tokens import local_jwt_secret

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path
    from types import ModuleType

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from local.routing import RouteMatch
    from local.template import CorsConfiguration, Route

log = logging.getLogger(__name__)


def _request_id() -> str:
    """An id shaped like API Gateway's (``Mc7UVioPPHcEKPA=``)."""
    return base64.b64encode(secrets.token_bytes(10)).decode("ascii")


class ApiServer:
    """The WSGI app. Safe to serve from many threads: each function keeps its own containers."""

    def __init__(
        self,
        routes: Sequence[Route],
        *,
        jwt_secret: str | None = None,
        cors: CorsConfiguration | None = None,
        region: str = "us-east-1",
        api: ApiContext = ApiContext(),  # noqa: B008 - frozen, so one shared default is safe
    ):
        self.routes = list(routes)
        self.api = api
        self._table = RouteTable(self.routes)
        self._authorizer = JwtAuthorizer(jwt_secret or local_jwt_secret())
        self._cors = Cors(cors) if cors else None
        self._functions = {
            route.function_logical_id: LambdaFunction(route.function, region=region, account_id=api.account_id)
            for route in self.routes
        }
        self._openapi: dict[str, Any] | None = None
        self._openapi_lock = threading.Lock()

    @classmethod
    def from_template(cls, template_path: Path = TEMPLATE_PATH, **options: Any) -> ApiServer:
        return cls(http_routes(template_path=template_path), cors=http_api_cors(template_path=template_path), **options)

    def function(self, logical_id: str) -> LambdaFunction:
        return self._functions[logical_id]

    def close(self) -> None:
        """Stop every function's containers."""
        for function in self._functions.values():
            function.close()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.handle(Request(environ))(environ, start_response)

    def handle(self, request: Request) -> Response:
        request_id = _request_id()
        response = self._preflight(request) or self._answer(request, request_id)
        response.headers["apigw-requestid"] = request_id
        return response

    def _preflight(self, request: Request) -> Response | None:
        return self._cors.preflight(request) if self._cors is not None else None

    def _answer(self, request: Request, request_id: str) -> Response:
        response = self._local_page(request) or self._invoke_route(request, request_id)
        return self._cors.apply(request, response) if self._cors is not None else response

    def _local_page(self, request: Request) -> Response | None:
        if request.method != "GET":
            return None
        if request.path == OPENAPI_PATH:
            return Response(json.dumps(self.openapi()), content_type="application/json")
        if request.path in (DOCS_PATH, f"{DOCS_PATH}/"):
            return docs_page()
        if request.path.startswith(f"{DOCS_PATH}/"):
            return docs_asset(request, request.path.removeprefix(f"{DOCS_PATH}/"))
        return None

    def _invoke_route(self, request: Request, request_id: str) -> Response:
        match = self._table.match(request.method, raw_path(request))
        if match is None:
            return gateway_response(404, "Not Found")
        try:
            claims = None if match.route.public else self._authorizer.authorize(request.headers.get("authorization"))
        except Unauthorized as refusal:
            return gateway_response(401, "Unauthorized", {"www-authenticate": refusal.www_authenticate})
        event = build_event(request, match, request_id=request_id, claims=claims, api=self.api)
        return self._call_function(match, event)

    def _call_function(self, match: RouteMatch, event: dict[str, Any]) -> Response:
        route = match.route
        try:
            return http_response(self._functions[route.function_logical_id].invoke(event))
        except LambdaTimeout:
            log.warning("%s timed out on %s", route.function_logical_id, route.route_key)
            return gateway_response(503, "Service Unavailable")
        except Exception:
            log.exception("%s failed on %s", route.function_logical_id, route.route_key)
            return gateway_response(500, "Internal Server Error")

    def openapi(self) -> dict[str, Any]:
        """The merged OpenAPI document, built once: it imports every function's module."""
        with self._openapi_lock:
            if self._openapi is None:
                self._openapi = openapi_document(self._handler_modules(), [r for r in self.routes if r.public])
            return self._openapi

    def _handler_modules(self) -> list[ModuleType]:
        modules = []
        for logical_id, function in self._functions.items():
            try:
                modules.append(function.module())
            except Exception:
                log.exception("%s could not be imported; it is left out of the OpenAPI document", logical_id)
        return modules
