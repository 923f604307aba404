from django import template

from kansrijk.accounts import roles
from kansrijk.matching.selection import invitations_of_client

register = template.Library()


@register.inclusion_tag("matching/_client_invitations.html", takes_context=True)
def client_invitations(context, client):
    """The client's invitations for approaches, on the client page (which records the access itself), for the roles
    that select; one query."""
    user = context["request"].user
    if not user.has_role(roles.SELECTS_CANDIDATES):
        return {"invitations": []}
    return {"invitations": list(invitations_of_client(client))}
