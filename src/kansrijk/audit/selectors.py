"""Reading the access log: who viewed a client, and who views unusually many clients outside their caseload."""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from .models import AccessLog

# The longest period the unusual-access report looks back over (web and API).
MAX_REPORT_DAYS = 366
# Browsing the client list (web and API) shows what the role's scope lists, a team lead's whole team included: it is
# recorded, with whether each client lay outside the user's own caseload, but the report is about chosen lookups.
BROWSING_VIEWS = ("lijst", "api_lijst")


def access_log_for_client(*, client_id: int) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(client_id=client_id).select_related("user").order_by("-timestamp")


def access_log(*, municipality_ids: list[int]) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(municipality_id__in=municipality_ids).select_related("user")


@dataclass(frozen=True)
class UnusualAccess:
    user_id: int
    username: str
    full_name: str
    role: str
    clients_outside: int
    views_outside: int
    peer_median: float
    reason: str


def unusual_access(*, municipality_ids: list[int], days: int = 30, minimum: int | None = None,
                   factor: float = 3.0) -> list[UnusualAccess]:
    """Users who viewed many distinct clients outside their own caseload in the last ``days`` days.

    A user is listed when that number is at least ``minimum`` (setting ``KANSRIJK_ACCESS_REPORT_MIN``) *and* at
    least ``factor`` times the median of the other users with such views, so a team that legitimately covers for
    each other is not flagged as a whole. The reason says both numbers, for the administrator to follow up.
    """
    minimum = settings.KANSRIJK_ACCESS_REPORT_MIN if minimum is None else minimum
    since = timezone.now() - timedelta(days=days)
    rows = list(
        AccessLog.objects.filter(municipality_id__in=municipality_ids, timestamp__gte=since, outside_caseload=True)
        .exclude(view__in=BROWSING_VIEWS)
        .values("user_id", "user__username", "user__first_name", "user__last_name", "user__role")
        .annotate(clients=Count("client_number", distinct=True), views=Count("id"))
        .order_by("-clients")
    )
    if not rows:
        return []
    counts = sorted(row["clients"] for row in rows)
    flagged = []
    for row in rows:
        # Compare with the other users, not with a median that includes the user's own count.
        peers = list(counts)
        peers.remove(row["clients"])
        peer_median = float(median(peers)) if peers else 0.0
        threshold = max(minimum, factor * peer_median)
        if row["clients"] < threshold:
            continue
        flagged.append(UnusualAccess(
            user_id=row["user_id"],
            username=row["user__username"],
            full_name=f"{row['user__first_name']} {row['user__last_name']}".strip(),
            role=row["user__role"],
            clients_outside=row["clients"],
            views_outside=row["views"],
            peer_median=peer_median,
            reason=(
                f"{row['clients']} verschillende cliënten buiten de eigen caseload bekeken in {days} dagen; "
                f"de mediaan van de andere gebruikers is {peer_median:g} en de drempel {threshold:g}."
            ),
        ))
    return flagged
