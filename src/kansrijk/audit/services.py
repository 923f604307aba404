"""Writing access records. Every view of a client's personal data calls one of these, nothing else writes them."""

from collections.abc import Iterable

from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import Client

from .models import AccessLog


def _outside(user, client, team_ids: set[int]) -> bool:
    """Whether the client lies outside the user's own work: for a client manager, anyone not in their own
    caseload; for roles without a caseload of their own, anyone not in their teams."""
    if user.role == Role.KLANTMANAGER:
        return client.client_manager_id != user.pk
    return client.team_id is None or client.team_id not in team_ids


def _record(user, client, view: str, team_ids: set[int], outside: bool | None = None) -> AccessLog:
    return AccessLog(
        user=user,
        client_id=client.pk,
        client_number=client.client_number,
        municipality_id=client.municipality_id,
        view=view,
        outside_caseload=_outside(user, client, team_ids) if outside is None else outside,
    )


def _team_ids(user) -> set[int]:
    return set() if user.role == Role.KLANTMANAGER else set(user.teams.values_list("id", flat=True))


def log_access(*, user, client, view: str, outside: bool | None = None) -> None:
    """Record that ``user`` saw ``client``'s personal data through ``view`` (e.g. ``clientpagina``, ``api_detail``).
    ``outside`` overrides the caseload test for roles without a caseload: a provider reading a client referred to it
    (the only clients it can reach) is within its own work."""
    _record(user, client, view, _team_ids(user), outside).save()


def log_bulk_access(*, user, clients: Iterable, view: str, outside: bool | None = None) -> int:
    """Record one access per client for search results and exports, in one batch rather than one per client."""
    team_ids = _team_ids(user) if outside is None else set()  # the teams only decide "outside" when not given
    records = [_record(user, client, view, team_ids, outside) for client in clients]
    AccessLog.objects.bulk_create(records, batch_size=500)
    return len(records)


# What ``_record`` reads of a client, so lists that hold only ids load no more than that.
ACCESS_FIELDS = ("pk", "client_number", "municipality_id", "client_manager_id", "team_id")


def log_bulk_access_by_ids(*, user, client_ids: list[int], view: str, chunk: int = 5000) -> int:
    """``log_bulk_access`` for clients known by id (a worklist page, an export), read in chunks of ``chunk``."""
    logged = 0
    for start in range(0, len(client_ids), chunk):
        clients = Client.objects.filter(pk__in=client_ids[start:start + chunk]).only(*ACCESS_FIELDS)
        logged += log_bulk_access(user=user, clients=clients, view=view)
    return logged
