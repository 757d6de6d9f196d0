"""The CORS handling an HTTP API does itself once ``CorsConfiguration`` is set.

API Gateway answers browsers' preflight ``OPTIONS`` requests without calling any function or
authorizer, and on every other response it replaces whatever CORS headers the function sent
with its own, so the web app sees locally what it will see on AWS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

    from local.template import CorsConfiguration

_CORS_PREFIX = "access-control-"


class Cors:
    def __init__(self, configuration: CorsConfiguration):
        self.configuration = configuration

    def preflight(self, request: Request) -> Response | None:
        """The answer to a preflight request, or None when ``request`` is not one."""
        if request.method != "OPTIONS" or not request.headers.get("access-control-request-method"):
            return None
        response = Response(status=204)
        del response.headers["Content-Type"]
        origin = request.headers.get("origin")
        if self._allows(origin):
            config = self.configuration
            response.headers["Access-Control-Allow-Methods"] = ",".join(config.allow_methods)
            if config.allow_headers:
                response.headers["Access-Control-Allow-Headers"] = ",".join(config.allow_headers)
            if config.max_age is not None:
                response.headers["Access-Control-Max-Age"] = str(config.max_age)
            self._add_origin_headers(response, origin)
        return response

    def apply(self, request: Request, response: Response) -> Response:
        """``response`` with the function's CORS headers replaced by the API's."""
        for name in [name for name, _ in response.headers if name.lower().startswith(_CORS_PREFIX)]:
            del response.headers[name]
        origin = request.headers.get("origin")
        if self._allows(origin):
            if self.configuration.expose_headers:
                response.headers["Access-Control-Expose-Headers"] = ",".join(self.configuration.expose_headers)
            self._add_origin_headers(response, origin)
        return response

    def _allows(self, origin: str | None) -> bool:
        allowed = self.configuration.allow_origins
        return origin is not None and ("*" in allowed or origin in allowed)

    def _add_origin_headers(self, response: Response, origin: str | None) -> None:
        config = self.configuration
        if "*" in config.allow_origins and not config.allow_credentials:
            response.headers["Access-Control-Allow-Origin"] = "*"
            return
        response.headers["Access-Control-Allow-Origin"] = str(origin)
        response.vary.add("Origin")
        if config.allow_credentials:
            response.headers["Access-Control-Allow-Credentials"] = "true"
