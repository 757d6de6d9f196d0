"""POST /p/{groupSlug}/{funnelSlug}/{stepSlug}/submit: a visitor sends a live page's form."""

from aws_lambda_powertools.event_handler import Response

from funnel_core.http.app import PUBLIC, body_bytes, create_app, make_handler
from funnel_core.leads.posting import FormRequest, answer

app = create_app(PUBLIC)


@app.post(
    "/p/<groupSlug>/<funnelSlug>/<stepSlug>/submit",
    summary="Send a live page's form (urlencoded from a browser, or JSON)",
    responses={
        201: {"description": "Taken (JSON post): the submission and the customer"},
        303: {"description": "Taken (browser post): on to the next step"},
        400: {"description": "A forged or missing form token, or a body that cannot be read"},
        404: {"description": "No live page at this URL"},
        413: {"description": "A body over 64 KB"},
        415: {"description": "Neither urlencoded nor JSON"},
        422: {"description": "A field is not valid: the page back with each error beside its field, or the error body"},
        429: {"description": "Too many posts from this visitor, or the group's monthly submissions are used up"},
    },
)
def submit(groupSlug: str, funnelSlug: str, stepSlug: str) -> Response[str]:
    event = app.current_event
    request = FormRequest(
        group_slug=groupSlug,
        funnel_slug=funnelSlug,
        step_slug=stepSlug,
        body=body_bytes(event.raw_event),
        headers={name.lower(): value for name, value in event.headers.items()},
        cookies=event.cookies,
        client_ip=event.request_context.http.source_ip,
    )
    result = answer(request)
    return Response(status_code=result.status, body=result.body, headers=result.headers, cookies=result.cookies)


lambda_handler = make_handler(app, public=True)
