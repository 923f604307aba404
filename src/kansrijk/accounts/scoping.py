"""The one scoping function every queryset of personal data passes through (SKETCH: tenancy).

A user sees clients only in their own municipalities and, for team roles, only in their own teams. Roles that work
with aggregates (analysts, administrators) or with referred clients only (providers, later issues) see no client here.
"""

from django.db.models import QuerySet

from . import roles


def visible_municipality_ids(user) -> list[int]:
    return list(user.municipalities.values_list("id", flat=True))


def scope_clients(user, queryset: QuerySet) -> QuerySet:
    """Narrow a Client queryset to what ``user`` may see. Returns ``none()`` for roles without client access."""
    if not user.has_role(roles.SEES_TEAM_CLIENTS):
        return queryset.none()
    return queryset.filter(
        municipality__in=user.municipalities.all(),
        team__in=user.teams.all(),
    )


def can_view_client(user, client) -> bool:
    return scope_clients(user, type(client).objects.filter(pk=client.pk)).exists()
