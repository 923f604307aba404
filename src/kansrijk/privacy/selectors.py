"""Reads of the privacy operations. An access request is answered for any client of the handler's municipalities,
whatever the team: the privacy desk works across teams (``roles.HANDLES_ACCESS_REQUESTS``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kansrijk.caseload.models import Client

from .models import AccessRequest, RetentionRule, RetentionRun

SEARCH_LIMIT = 20


def clients_for_access_requests(user) -> QuerySet[Client]:
    return Client.objects.filter(municipality__in=user.municipalities.all())


def find_clients(user, query: str) -> list[Client]:
    """Exact client number or BSN only: the request names the person, and a name search would show others too."""
    query = (query or "").strip()
    if not query:
        return []
    # A BSN written without its leading zero (8 digits) is found too, as in the caseload search.
    bsn = query.zfill(9) if query.isdigit() and len(query) == 8 else query
    return list(clients_for_access_requests(user).filter(Q(client_number=query) | Q(bsn=bsn))
                .select_related("municipality").order_by("municipality__name", "client_number")[:SEARCH_LIMIT])


def client_for_access_request(user, pk: int) -> Client | None:
    return clients_for_access_requests(user).select_related("municipality", "team").filter(pk=pk).first()


def access_requests_of(client: Client) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(client=client).select_related("produced_by").order_by("-produced_at")


def retention_overview(limit: int = 20) -> tuple[list[RetentionRule], list[RetentionRun]]:
    return (list(RetentionRule.objects.order_by("record_type")),
            list(RetentionRun.objects.select_related("started_by").order_by("-started_at", "-id")[:limit]))
