"""Writing access records. Every view of a client's personal data calls one of these, nothing else writes them."""

from collections.abc import Iterable

from .models import AccessLog


def _record(user, client, view: str) -> AccessLog:
    return AccessLog(
        user=user,
        client_id=client.pk,
        client_number=client.client_number,
        municipality_id=client.municipality_id,
        view=view,
        outside_caseload=client.client_manager_id != user.pk,
    )


def log_access(*, user, client, view: str) -> None:
    """Record that ``user`` saw ``client``'s personal data through ``view`` (e.g. ``client_page``, ``api_detail``)."""
    _record(user, client, view).save()


def log_bulk_access(*, user, clients: Iterable, view: str) -> int:
    """Record one access per client for list exports; one INSERT batch, not one per client."""
    records = [_record(user, client, view) for client in clients]
    AccessLog.objects.bulk_create(records, batch_size=2000)
    return len(records)
