"""GET /me: who the caller is and the groups they hold a role in."""

from funnel_core.http.app import ONTOLOGY, create_app, current_caller, make_handler
from funnel_core.ontology import members
from funnel_core.ontology.models.members import Me

app = create_app(ONTOLOGY)


@app.get("/me", summary="The caller and their roles")
def get_me() -> Me:
    return members.service().me(current_caller(app))


lambda_handler = make_handler(app)
