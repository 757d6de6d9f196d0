"""The local stack behind ``make dev``, the test suite and the benchmarks.

Everything here stands in for a piece of AWS, so that the handlers in ``functions/`` run
unchanged on a laptop: AWS's own DynamoDB Local for the table and its stream, moto's server
for S3 and any other AWS API, and a WSGI server that plays API Gateway's HTTP API (routing,
JWT authorizer, payload format 2.0) and the stream's event source mapping. All of it is built
from ``template.yaml``, so local runs and the cloud agree.

- ``dynamodb_local``: install and run DynamoDB Local.
- ``moto_server``: moto's server for S3 and the rest.
- ``template``: what the template says about the table, the bucket, routes and streams.
- ``lambda_runtime``: Lambda containers: a process per container, one event at a time.
- ``api_server``: the HTTP API (with ``routing``, ``jwt_authorizer``, ``http_api``, ``cors``,
  ``docs``); ``openapi``: the API's OpenAPI document, built from the handlers.
- ``stream_poller``: the DynamoDB stream event source mapping (with ``event_patterns``).
- ``stack``: ``LocalStack`` and ``LocalApi``, the two context managers tests and ``dev`` use.
- ``tokens``: JWTs the local authorizer accepts.
- ``dev`` (run as ``python -m local``): the ``make dev`` entry point.
- ``lifecycle``, ``server_process``, ``net``, ``npm``: what the servers above have in common,
  and fetching tools from npm (DynamoDB Local, Swagger UI).
- ``browser``: Debian's Chromium, headless, for the browser tests.
- ``lambda_events``, ``containers``: handler events from ``events/``, a fresh in-process
  container.
- ``samples``: the data the tests and ``make bench`` both seed (a small known world, a funnel
  at the limits, an example of every element type); ``bench``: ``make bench``.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
