"""``make dev``: the whole backend on http://127.0.0.1:3000 (``PORT`` overrides), until Ctrl-C.

It installs DynamoDB Local if needed, starts the local stack with the stream poller, serves the
API, and prints two ready tokens and a first request to try. Ctrl-C or SIGTERM stops it all;
no process is left running.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time

from local import dynamodb_local
from local.docs import DOCS_PATH, OPENAPI_PATH
from local.lambda_runtime import LambdaError, LambdaFunction
from local.scheduler import Scheduler
from local.stack import LocalApi, LocalStack
from local.template import function_spec
from local.tokens import mint_token

DEFAULT_PORT = 3000
_PR_SET_PDEATHSIG = 1
TOKEN_TTL_SECONDS = 12 * 3600  # a working day, so the printed tokens last the session
# make dev searches by meaning with the real model; EMBEDDINGS=hashing starts without loading it.
DEFAULT_EMBEDDINGS = "minilm"
log = logging.getLogger("local.dev")


def _index_what_is_there(region: str) -> None:
    """The search index lives in memory: at every start it is filled again from the table (and
    the system templates), by the template's own backfill function, while the API already serves."""
    backfill = LambdaFunction(function_spec("SearchBackfillFunction"), region=region)
    try:
        report = backfill.invoke({})
        log.info("search index filled: %s", report)
    except LambdaError as error:
        log.error("search backfill failed: %s", error)
    finally:
        backfill.close()


def _first_request(port: int) -> str:
    return (
        f'curl -s -X POST localhost:{port}/groups -H "Authorization: Bearer $TOKEN" '
        """-H 'content-type: application/json' -d '{"name":"Acme","type":"organization"}'"""
    )


def _banner(stack: LocalStack, api: LocalApi) -> str:
    token = mint_token("dev-user", email="dev@example.com", name="Dev User", ttl_seconds=TOKEN_TTL_SECONDS)
    other = mint_token("dev-user-2", email="dev2@example.com", name="Second Dev User", ttl_seconds=TOKEN_TTL_SECONDS)
    return f"""
Funnel builder API on {api.url}
  docs:     {api.url}{DOCS_PATH}  (OpenAPI: {api.url}{OPENAPI_PATH})
  DynamoDB: {stack.dynamodb.endpoint_url}  table {stack.table_name}
  S3:       {stack.moto.endpoint_url}  bucket {stack.audit_bucket_name}
  Stripe:   {stack.stripe.endpoint_url}  (localstripe; its webhooks go to {api.url}/webhooks/stripe)
  Search:   {stack.search.endpoint_url}  (osmem-server + faiss k-NN; embeddings: {stack.embeddings})

Tokens (dev-user, and a second user dev-user-2), valid {TOKEN_TTL_SECONDS // 3600} hours:
export TOKEN={token}
export TOKEN2={other}

Try:
{_first_request(api.port)}

Ctrl-C stops everything.
"""


def _catch_stop_signals() -> list[int]:
    """From now on Ctrl-C or SIGTERM only lands in the returned list; the ``with`` blocks in
    ``main`` then stop the stack. Installed before the banner says the API is ready, so a signal
    sent right after reading it is never the default one that kills the process midway.

    The handler only flips a flag: it runs on the main thread between bytecodes, so anything
    that takes a lock (``Event.set``) could deadlock against the very wait it interrupts.
    """
    received: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, _frame: received.append(number))
    return received


def _wait_for(received: list[int]) -> None:
    # A short sleep rather than signal.pause(): a signal that lands between the check and the
    # pause would otherwise leave it waiting for a second one.
    while not received:
        time.sleep(0.2)


def _stop_with_parent() -> None:
    """``make dev`` runs this as make's child: when make is stopped (``kill -INT`` on make, in
    the background), Linux sends this process SIGTERM, which stops the stack in order."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def main() -> int:
    _stop_with_parent()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)  # not one line per client about where it found keys
    dynamodb_local.install()
    port = int(os.environ.get("PORT", DEFAULT_PORT))
    # The scheduler's functions copy the environment the stack sets: made once the stack is up.
    with (
        LocalStack(poll_streams=True, embeddings=os.environ.get("EMBEDDINGS", DEFAULT_EMBEDDINGS)) as stack,
        LocalApi(port=port) as api,
        Scheduler.from_template(region=stack.region),
    ):
        stack.stripe.send_webhooks_to(f"{api.url}/webhooks/stripe")
        threading.Thread(target=_index_what_is_there, args=(stack.region,), name="search-backfill", daemon=True).start()
        received = _catch_stop_signals()
        print(_banner(stack, api), flush=True)
        _wait_for(received)
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
