"""Read path of the fairness report: one row per client active in the period, with its groups and, per outcome,
whether it happened at least once in the period. One query (every outcome an EXISTS on an index led by the client),
whatever the size of the caseload; nothing here leaves the module but counts (``fairness.fairness_report``).

This is the only reader of ``ClientSpecialCategories.migration_background`` in monitoring, and only when the caller
passes ``with_origin`` (the view asks ``roles.SEES_ORIGIN_AGGREGATES``). The frame itself is never shown or
returned by a view or the API: it holds client ids and exists only inside one computation.

No cache: the outcomes come from six tables whose changes the spells' data version does not see, and the one query
is cheap (measured in docs, Performance).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kansrijk.caseload.models import BenefitSpell, Client
from kansrijk.matching.models import (
    CandidateInvitation,
    Decision,
    MatchProposal,
    Placement,
    RecommendationDecision,
)
from kansrijk.trajectories.codes import WORK_RESULTS
from kansrijk.trajectories.models import Referral, Trajectory

from . import fairness
from .fairness import fairness_report


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _outcomes(start: date, end: date) -> dict:
    """Per outcome: did the client have it in [start, end]? Datetime fields are bounded by local midnights."""
    since, until = _moment(start), _moment(end + timedelta(days=1))
    client = OuterRef("pk")
    return {
        "aanbeveling_gekozen": Exists(RecommendationDecision.objects.filter(
            client=client, decision=Decision.GEKOZEN, decided_at__gte=since, decided_at__lt=until)),
        "uitgenodigd": Exists(CandidateInvitation.objects.filter(
            client=client, invited_at__gte=since, invited_at__lt=until)),
        "voorgesteld_vacature": Exists(MatchProposal.objects.filter(
            client=client, created_at__gte=since, created_at__lt=until)),
        "verwezen": Exists(Referral.objects.filter(client=client, referred_on__range=(start, end))),
        "traject_werk": Exists(Trajectory.objects.filter(
            client=client, end_on__range=(start, end), result__in=sorted(WORK_RESULTS))),
        "geplaatst": Exists(Placement.objects.filter(client=client, started_on__range=(start, end))),
    }


def active_clients(municipality_id: int, start: date, end: date):
    """Clients of the municipality with a spell overlapping the period."""
    overlapping = BenefitSpell.objects.filter(client=OuterRef("pk"), original_start__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start))
    return Client.objects.filter(municipality_id=municipality_id).filter(Exists(overlapping))


def client_frame(municipality_id: int, start: date, end: date, *, with_origin: bool = False) -> pd.DataFrame:
    outcomes = _outcomes(start, end)
    fields = ["id", "birth_year", "sex", *fairness.OUTCOME_KEYS]
    names = list(fairness.COLUMNS)
    if with_origin:
        fields.append("special_categories__migration_background")
        names.append("origin")
    rows = active_clients(municipality_id, start, end).annotate(**outcomes).order_by().values_list(*fields)
    return pd.DataFrame.from_records(list(rows), columns=names)


def fairness_for(municipality_id: int, start: date, end: date, *, with_origin: bool = False) -> dict:
    return fairness_report(client_frame(municipality_id, start, end, with_origin=with_origin), start, end)
