"""GET /me: the caller and the groups they hold a role in."""

from funnel_core.domain import members
from funnel_core.http.app import create_app, current_caller, make_handler, store
from funnel_core.models.members import Me

app = create_app()


@app.get("/me")
def get_me() -> Me:
    return members.me(store(), current_caller(app))


lambda_handler = make_handler(app)
