"""Read paths of the caseload register. Every queryset of clients starts at ``clients_for`` (scoped)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts.scoping import scope_clients

from .models import BenefitSpell, Client

# Duration of the running spell, in whole years: (code, label, lower bound, upper bound).
DURATION_CLASSES = [
    ("lt1", _("korter dan 1 jaar"), 0, 1),
    ("1-2", _("1 tot 2 jaar"), 1, 2),
    ("2-5", _("2 tot 5 jaar"), 2, 5),
    ("5-10", _("5 tot 10 jaar"), 5, 10),
    ("10+", _("10 jaar of langer"), 10, None),
    ("geen", _("geen lopende uitkering"), None, None),
]
# Age classes as in the "Sturen op bijstand" analysis (age from the birth year, taken as 1 July).
AGE_CLASSES = [("<30", _("jonger dan 30"), None, 29), ("30-50", _("30 tot en met 50"), 30, 50),
               ("50+", _("ouder dan 50"), 51, None)]


def clients_for(user) -> QuerySet[Client]:
    return scope_clients(user, Client.objects.all())


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class CaseloadFilters:
    q: str = ""
    team: int | None = None
    client_manager: int | None = None
    duration: str = ""
    age_class: str = ""
    household: str = ""
    unassigned: bool = False


def caseload_list(*, user, filters: CaseloadFilters, today: date | None = None) -> QuerySet[Client]:
    """The caseload as the user may see it, filtered. Joins declared here so list pages stay at a fixed number
    of queries whatever the page size."""
    today = today or timezone.localdate()
    qs = clients_for(user).select_related("team", "client_manager", "municipality")
    q = filters.q.strip()
    if q:
        if q.isdigit() and len(q) in (8, 9):
            qs = qs.filter(Q(bsn=q.zfill(9)) | Q(client_number=q))
        elif q.isdigit():
            qs = qs.filter(client_number__startswith=q)
        else:
            qs = qs.filter(search_name__contains=q.lower())
    if filters.unassigned:
        qs = qs.filter(team__isnull=True)
    if filters.team:
        qs = qs.filter(team_id=filters.team)
    if filters.client_manager:
        qs = qs.filter(client_manager_id=filters.client_manager)
    if filters.household:
        qs = qs.filter(household=filters.household)
    for code, _label, low, high in DURATION_CLASSES:
        if filters.duration != code:
            continue
        if code == "geen":
            qs = qs.filter(active_spell_start__isnull=True)
        else:
            qs = qs.filter(active_spell_start__lte=_years_ago(today, low))
            if high is not None:
                qs = qs.filter(active_spell_start__gt=_years_ago(today, high))
    for code, _label, low, high in AGE_CLASSES:
        if filters.age_class != code:
            continue
        # Age on 1 July of this year: born in year Y → age = this year − Y.
        if low is not None:
            qs = qs.filter(birth_year__lte=today.year - low)
        if high is not None:
            qs = qs.filter(birth_year__gte=today.year - high)
    return qs.order_by("search_name", "client_number")


def household_options(*, user) -> list[str]:
    return list(clients_for(user).exclude(household="").values_list("household", flat=True)
                .order_by("household").distinct())


def client_detail(*, user, pk: int) -> Client | None:
    return clients_for(user).select_related("team", "client_manager", "municipality").filter(pk=pk).first()


def spells_of(client: Client) -> list[BenefitSpell]:
    return list(client.spells.select_related("cause").order_by("original_start"))


def spell_timeline(spells: list[BenefitSpell], today: date | None = None) -> list[dict]:
    """Position of each spell on a horizontal timeline, in percent, from the first start to today."""
    today = today or timezone.localdate()
    if not spells:
        return []
    first = spells[0].original_start
    total = max((today - first).days, 1)
    items = []
    for spell in spells:
        end = spell.end_date or today
        items.append({
            "spell": spell,
            "left": round(100 * (spell.original_start - first).days / total, 2),
            "width": max(round(100 * (end - spell.original_start).days / total, 2), 0.5),
            "days": (end - spell.original_start).days,
        })
    return items


def counts() -> dict:
    return {"clients": Client.objects.count(), "spells": BenefitSpell.objects.count(),
            "active_spells": BenefitSpell.objects.filter(end_date__isnull=True).count()}
