"""The one scoping function every queryset of personal data passes through (SKETCH: tenancy).

A user sees clients only in their own municipalities and, for team roles, only in their own teams; a team lead
also sees the clients no team has yet, to place them. Roles that work
with aggregates (analysts, administrators) or with referred clients only (providers, later issues) see no client here.
"""

from django.db.models import Q, QuerySet

from . import roles


def visible_municipality_ids(user) -> list[int]:
    return list(user.municipalities.values_list("id", flat=True))


def scope_clients(user, queryset: QuerySet) -> QuerySet:
    """Narrow a Client queryset to what ``user`` may see. Returns ``none()`` for roles without client access."""
    if not user.has_role(roles.SEES_TEAM_CLIENTS):
        return queryset.none()
    in_team = Q(team__in=user.teams.all())
    if user.has_role(roles.ASSIGNS_CLIENTS):
        # New clients arrive from the import without a team; the team lead places them.
        in_team |= Q(team__isnull=True)
    return queryset.filter(in_team, municipality__in=user.municipalities.all())
