"""What docs/data-model.md says each route's warm request costs."""

from __future__ import annotations

# What docs/data-model.md's "Authorization round trips" table says a warm request costs, route by
# route, under the row of that table it falls in: keep the two in step. The test holds every
# route's measured count to this.
DOCUMENTED_ROUND_TRIPS: dict[str, int] = {
    # "read by id": 1, BatchGetItem
    "GET /groups/{groupId}": 1,
    "GET /groups/{groupId}/things/{thingId}": 1,
    # "search, similar templates": 1, BatchGetItem (the rest is the search index's)
    "GET /groups/{groupId}/search": 1,
    "GET /groups/{groupId}/funnels/{funnelId}/similar-templates": 1,
    # "list": 2, BatchGetItem + Query
    "GET /groups/{groupId}/children": 2,
    "GET /groups/{groupId}/members": 2,
    "GET /groups/{groupId}/things": 2,
    "GET /groups/{groupId}/things/{thingId}/connections": 2,
    "GET /groups/{groupId}/events": 2,
    "GET /groups/{groupId}/knowledge": 2,
    # "GET /groups": 2, Query of memberships + BatchGetItem of the groups on the page
    "GET /groups": 2,
    # "GET /me": 1, Query of memberships
    "GET /me": 1,
    # "POST /groups (top-level)": 1, TransactWriteItems
    "POST /groups": 1,
    # "any other write of the ontology, member changes included": 2, BatchGetItem + TransactWriteItems
    "PATCH /groups/{groupId}": 2,
    "DELETE /groups/{groupId}": 2,
    "PUT /groups/{groupId}/members/{personId}": 2,
    "DELETE /groups/{groupId}/members/{personId}": 2,
    "POST /groups/{groupId}/things": 2,
    "PATCH /groups/{groupId}/things/{thingId}": 2,
    "DELETE /groups/{groupId}/things/{thingId}": 2,
    "POST /groups/{groupId}/connections": 2,
    "DELETE /groups/{groupId}/connections/{connectionId}": 2,
    "POST /groups/{groupId}/knowledge": 2,
    "DELETE /groups/{groupId}/knowledge/{knowledgeId}": 2,
    # "read a funnel or a step": 2, BatchGetItem + one Query of the item collection
    "GET /groups/{groupId}/funnels/{funnelId}": 2,
    "GET /groups/{groupId}/funnels/{funnelId}/steps/{stepId}": 2,
    # "a funnel's analytics, and its chart": 35, the funnel read (2) + the group's time zone (GetItem) + one
    # Query per counter shard (32, eight at a time)
    "GET /groups/{groupId}/funnels/{funnelId}/analytics": 35,
    "GET /groups/{groupId}/funnels/{funnelId}/analytics/chart.svg": 35,
    # "list funnels": 2, BatchGetItem + Query
    "GET /groups/{groupId}/funnels": 2,
    # "POST .../funnels": 2, BatchGetItem + TransactWriteItems
    "POST /groups/{groupId}/funnels": 2,
    # "edit a funnel, add/change/reorder steps or elements, publish, unpublish, save a template":
    # 3, BatchGetItem + Query + TransactWriteItems. Archiving a funnel is an edit of it here: the
    # table names no row for it.
    "PATCH /groups/{groupId}/funnels/{funnelId}": 3,
    # + the page projection's BatchGetItem: the funnel archived was never published, so it has
    # no pages to take down
    "DELETE /groups/{groupId}/funnels/{funnelId}": 4,
    "POST /groups/{groupId}/funnels/{funnelId}/steps": 3,
    "PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}": 3,
    "PUT /groups/{groupId}/funnels/{funnelId}/step-order": 3,
    "POST /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements": 3,
    "PATCH /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}": 3,
    "PUT /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/element-order": 3,
    "DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}/elements/{elementId}": 3,
    # + the page projection: BatchGetItem, the version's GetItem and Query, a PutItem per page
    # (the sample funnel's 2 steps and its own URL) and the manifest's PutItem
    "POST /groups/{groupId}/funnels/{funnelId}/publish": 10,
    # + the page projection: BatchGetItem, a DeleteItem per page, the manifest's PutItem
    "POST /groups/{groupId}/funnels/{funnelId}/unpublish": 8,
    "POST /groups/{groupId}/templates": 3,
    # "remove a step": 4, the same, then a BatchWriteItem of the step's unlisted items
    "DELETE /groups/{groupId}/funnels/{funnelId}/steps/{stepId}": 4,
    # "restore version n": 3, BatchGetItem (with the funnel item) + GetItem of the version +
    # TransactWriteItems
    # (+ the page projection, as for publish: 7)
    "POST /groups/{groupId}/funnels/{funnelId}/versions/{n}/restore": 10,
    # "GET .../versions": 2, BatchGetItem (with the funnel item) + Query; "GET .../versions/{n}":
    # 3, BatchGetItem + GetItem + Query of its parts
    "GET /groups/{groupId}/funnels/{funnelId}/versions": 2,
    "GET /groups/{groupId}/funnels/{funnelId}/versions/{n}": 3,
    # "duplicate": 3 + one BatchWriteItem per 25 staged items (the sample funnel's 2 steps and 2
    # elements: one)
    "POST /groups/{groupId}/funnels/{funnelId}/duplicate": 4,
    # "GET /templates": 1, BatchGetItem of the usage counters
    "GET /templates": 1,
    # "GET /templates/{t}": 1, BatchGetItem of its usage counter
    "GET /templates/{templateId}": 1,
    # "GET /groups/{g}/templates": 3, BatchGetItem + Query + BatchGetItem of the usage counters
    "GET /groups/{groupId}/templates": 3,
    # "assign / unassign a group_user": 2 / 2
    "PUT /groups/{groupId}/funnels/{funnelId}/assignees/{personId}": 2,
    "DELETE /groups/{groupId}/funnels/{funnelId}/assignees/{personId}": 2,
    # "list" (of a funnel's submissions): 2, BatchGetItem (with the funnel) + Query
    "GET /groups/{groupId}/funnels/{funnelId}/submissions": 2,
    # "export submissions": 2, BatchGetItem (with the funnel) + the Query's pages; then S3
    "GET /groups/{groupId}/funnels/{funnelId}/submissions/export": 2,
    # custom code: "POST .../funnels"-like 2 (BatchGetItem with the funnel + TransactWriteItems;
    # +1 Query when it is scoped to a step); list 2 (BatchGetItem + Query); change and archive 2
    # (the item read in the authorization BatchGetItem + TransactWriteItems)
    # A/B tests. Reading: the authorization with the test item (1), + its list Query; the results
    # add a Query per arm counter shard (32) and the GetItem of its kept always-valid p-values.
    "GET /groups/{groupId}/funnels/{funnelId}/ab-tests": 2,
    "GET /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}": 34,
    # Making one: the authorization, the funnel's Query and the TransactWriteItems (3), then the
    # page projection (its variant leaves the live flow): BatchGetItem, the version's GetItem and
    # Query, a PutItem per page of the sample split funnel (its 3 steps in the flow and its own
    # URL; the variants' URLs were tombstones already) and the manifest's.
    "POST /groups/{groupId}/funnels/{funnelId}/ab-tests": 10,
    # Moving one: the authorization with the test (1), the test and funnel GetItems (2), the
    # TransactWriteItems, then the projection (4 + 5 PutItems); starting also reads the live
    # version (GetItem, Query) to check its arms are in it; a winner reads the results first
    # (the sample-ratio veto: 32 Queries and the GetItem of the kept p-values).
    "POST /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}/start": 14,
    "POST /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}/stop": 12,
    "POST /groups/{groupId}/funnels/{funnelId}/ab-tests/{testId}/winner": 45,
    "POST /groups/{groupId}/funnels/{funnelId}/custom-code": 2,
    "GET /groups/{groupId}/funnels/{funnelId}/custom-code": 2,
    "PATCH /groups/{groupId}/funnels/{funnelId}/custom-code/{codeId}": 2,
    "DELETE /groups/{groupId}/funnels/{funnelId}/custom-code/{codeId}": 2,
    # "products": the authorization's BatchGetItem (with the product) + a Query or the
    # TransactWriteItems
    "POST /groups/{groupId}/products": 2,
    "GET /groups/{groupId}/products": 2,
    "PATCH /groups/{groupId}/products/{productId}": 2,
    "DELETE /groups/{groupId}/products/{productId}": 2,
    # "the Stripe account": the authorization's BatchGetItem (with the account) + the
    # TransactWriteItems of a new account id (none when it is the same)
    "PUT /groups/{groupId}/stripe-account": 2,
    # "a checkout", its first call: GetItem of the page + of the group's Stripe account + of the
    # order (none yet) + of the email's guard, then TransactWriteItems of the order; Stripe's
    # calls (a customer and a SetupIntent, on the emulator) are not DynamoDB's
    "POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/checkout": 5,
    # "an upsell's no thanks": GetItem of the page + GetItem of the order its ticket names
    # (a yes adds the order's claim, Stripe's PaymentIntent and the order's UpdateItem)
    "POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/upsell": 2,
    # "a Stripe webhook", a payment succeeded: GetItem of the customer's email guard + GetItem of
    # their purchased_via connection's guard + TransactWriteItems (the event's guard, the payment,
    # the connection the first time, the event)
    "POST /webhooks/stripe": 3,
    # "erase a customer": BatchGetItem (with the customer) + Query of their submissions + GetItem
    # of their email's guard + TransactWriteItems; then per 45 submissions a BatchGetItem and a
    # TransactWriteItems (the sample customer has none)
    "POST /groups/{groupId}/customers/{customerId}/erase": 4,
    # "a live page": 1, GetItem by the URL's slugs
    "GET /p/{groupSlug}/{funnelSlug}": 1,
    "GET /p/{groupSlug}/{funnelSlug}/{stepSlug}": 1,
    # "a view beacon": 3 on a funnel's first step (the view event, the visitor's first view of the
    # step and their entry into the funnel, each a PutItem), 2 on the others; nothing read
    "POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/view": 3,
    # "a form post": 4, UpdateItem of the visitor's rate window + GetItem of the page +
    # BatchGetItem of the group and the customer's email guard + TransactWriteItems (one more
    # BatchGetItem and TransactWriteItems only when its shard of the monthly count is full)
    "POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/submit": 4,
}
