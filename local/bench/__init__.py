"""``make bench``: what every HTTP route costs, measured against DynamoDB Local; writes docs/benchmarks.md.

For every route in template.yaml, invoked in-process with its sample event from events/:

1. DynamoDB round trips of a warm request, per operation, counted by a hook on boto3's default
   session, so every client the handlers create is seen (the store's, Powertools
   idempotency's), next to what docs/data-model.md says (``DOCUMENTED_ROUND_TRIPS``); plus a
   nested group read by a caller whose role is inherited, on a cold container and warm, since
   the per-container ancestor cache changes what authorization reads.
2. The handler's time against the time spent inside its own DynamoDB calls (from botocore's
   ``before-call`` to its ``after-call``: signing, the HTTP round trip, parsing), warm, median.
3. The funnel aggregate: reading a funnel of 10 steps x 20 elements against one raw Query of
   its item collection; publishing and duplicating a funnel at the group limits (50 x 100).
4. Cold start, for one handler per resource (the first route of each functions/ folder): the
   handler imported and invoked once in a fresh interpreter (the dev virtualenv's, without
   user site-packages or the working directory on ``sys.path``), against a baseline that only
   imports boto3 and creates a DynamoDB client; and where one handler's import time goes, by
   ``python -X importtime``.

Every measured request must succeed with a 2xx. The table is recreated and the sample world
put back before each scenario (``World``); a route that changes or removes something gets a fresh target for
every call (created through the API's own routes), or an event made from the state of the
moment (the current version, the current order), so each call does real work.

funnel_core is imported inside functions, never at module level: its Logger and Metrics read
the environment when imported, and that environment is set by the local stack this bench starts.
"""

from local.bench.cold import cold_start_routes
from local.bench.documented import DOCUMENTED_ROUND_TRIPS
from local.bench.run import main, run

__all__ = ["DOCUMENTED_ROUND_TRIPS", "cold_start_routes", "main", "run"]
