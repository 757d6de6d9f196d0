"""GET /groups/{groupId}/search: the group's funnels, steps, templates, things and knowledge, by
words (text), by meaning (semantic) or both (hybrid), as far as the caller may read them."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.http.params import Cursor, GroupId
from funnel_core.models.common import Page
from funnel_core.search import query
from funnel_core.search.query import SearchHit, SearchMode

app = create_app(ONTOLOGY)

Words = Annotated[str, Query(min_length=1, max_length=500, description="What to look for, in words.")]
Kinds = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63}){0,9}$",
        description="Only results of these kinds, comma-separated: knowledge, funnel, funnel_step, "
        "funnel_template, page_template, product or another thing type.",
    ),
]
SearchLimit = Annotated[int, Query(ge=1, le=50, description="Results per page (1-50).")]


@app.get("/groups/<groupId>/search", summary="Search the group's content by words, meaning or both")
def search(
    groupId: GroupId,
    q: Words,
    type: Kinds = None,  # API.md's name for the parameter
    mode: Annotated[SearchMode, Query(description="text (BM25), semantic (k-NN) or hybrid.")] = SearchMode.HYBRID,
    limit: SearchLimit = 10,
    cursor: Cursor = None,
) -> Page[SearchHit]:
    kinds = tuple(sorted(set(type.split(",")))) if type else ()
    return query.service().search(current_caller(app), groupId, q, kinds, mode, limit, cursor)


lambda_handler = make_handler(app)
