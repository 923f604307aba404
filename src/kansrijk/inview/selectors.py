"""Worklists, caseload balance and campaign progress.

A worklist is computed, not stored: for the clients in view it reads, per client and through composite indexes, the
last contact, the latest ladder and ZRM measurement and the latest intake's exemptions, then applies the
municipality's contact-rhythm rules in Python. A client manager's worklist therefore costs the same handful of
queries whether the register holds 5,000 or 400,000 clients and millions of contacts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.caseload.models import Client, ReturnToBenefit
from kansrijk.caseload.selectors import clients_for
from kansrijk.core.bulk import paused_gc
from kansrijk.diagnosis.models import Intake, LadderMeasurement, ZrmMeasurement
from kansrijk.trajectories.models import Plan
from kansrijk.trajectories.selectors import aftercare_due

from .models import (
    FACE_TO_FACE,
    Campaign,
    CampaignInvitation,
    ClientSegment,
    Confidentiality,
    Contact,
    ContactRhythmRule,
)

DIAGNOSIS_MAX_AGE_DAYS = 365
EXEMPTION_WARNING_DAYS = 30
FOLLOW_UP_WARNING_DAYS = 7
# A plan van aanpak is expected within a month of the first diagnosis (seed 001 §2.5: the plan follows the
# diagnosis); a client with a running exemption from the work obligations is not asked for one.
PLAN_AFTER_DIAGNOSIS_DAYS = 30
# Aftercare contacts show a week ahead, like agreed follow-ups; a return to benefit (draaideur) stays on the list for
# two months after the import found it: long enough to talk with the client about what went wrong.
AFTERCARE_WARNING_DAYS = FOLLOW_UP_WARNING_DAYS
RETURN_TO_BENEFIT_DAYS = 60


class Reason:
    OVERDUE = "contact_te_laat"
    NEVER_CONTACTED = "nooit_contact"
    NEVER_DIAGNOSED = "nooit_diagnose"
    DIAGNOSIS_STALE = "diagnose_verouderd"
    EXEMPTION_EXPIRING = "ontheffing_loopt_af"
    FOLLOW_UP_DUE = "vervolg_afgesproken"
    NO_PLAN = "geen_plan"
    CAMPAIGN = "doorlichting"
    AFTERCARE = "nazorg"
    RETURN_TO_BENEFIT = "draaideur"


@dataclass
class WorklistItem:
    client_id: int
    client_number: str
    name: str
    client_manager_id: int | None
    reasons: list[dict] = field(default_factory=list)
    urgency: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def contacts_visible_to(user: User, queryset: QuerySet) -> QuerySet:
    """Contacts whose summary this user may read: the neighbourhood team the social part only; confidential ones
    only the author and the client's own client manager."""
    if not user.has_role(roles.SEES_WORK_INCOME_CONTACTS):
        queryset = queryset.filter(Q(confidentiality=Confidentiality.SOCIAAL) | Q(author=user))
    return queryset.filter(~Q(confidentiality=Confidentiality.VERTROUWELIJK) | Q(author=user) |
                           Q(client__client_manager=user))


def _latest(model, field_name: str):
    return Subquery(model.objects.filter(client=OuterRef("pk"), corrected_by__isnull=True)
                    .order_by("-measured_on", "-id").values(field_name)[:1])


def with_in_view_facts(clients: QuerySet) -> QuerySet:
    """Annotate the facts the worklist rules read, each a subquery served by a (client, date) index."""
    return clients.annotate(
        last_contact=Subquery(Contact.objects.filter(client=OuterRef("pk")).order_by("-contacted_on")
                              .values("contacted_on")[:1]),
        follow_up_on=Subquery(Contact.objects.filter(client=OuterRef("pk")).order_by("-contacted_on", "-id")
                              .values("follow_up_on")[:1]),
        last_ladder_on=_latest(LadderMeasurement, "measured_on"),
        trede=_latest(LadderMeasurement, "trede"),
        last_zrm_on=_latest(ZrmMeasurement, "measured_on"),
        work_exemption_until=_latest(Intake, "work_exemption_until"),
        job_search_exemption_until=_latest(Intake, "job_search_exemption_until"),
        # One probe of the (client, version) index per client; cheaper than a separate IN-list query.
        has_plan=Exists(Plan.objects.filter(client=OuterRef("pk"))),
    )


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def rule_matches(rule: ContactRhythmRule, client, segment_ids: set[int], today: date) -> bool:
    if rule.min_benefit_years is not None and (
            client.active_spell_start is None or client.active_spell_start > _years_before(today, rule.min_benefit_years)):
        return False
    if rule.trede_min is not None or rule.trede_max is not None:
        if client.trede is None or not (rule.trede_min or 1) <= client.trede <= (rule.trede_max or 6):
            return False
    return rule.segment_id is None or rule.segment_id in segment_ids


def reasons_for(client, rules: list[ContactRhythmRule], segment_ids: set[int], today: date, *,
                has_plan: bool = True, first_diagnosis: date | None = None) -> list[dict]:
    """Why this client needs attention now, in words a client manager can act on. Empty when nothing is due.
    ``first_diagnosis`` is the date of the earliest current ladder step or ZRM (needed only without a plan)."""
    reasons = []
    matching = [rule for rule in rules if rule_matches(rule, client, segment_ids, today)]
    if matching:
        rule = min(matching, key=lambda r: (r.interval_days, r.pk))
        if client.last_contact is None:
            reasons.append({"code": Reason.NEVER_CONTACTED, "days": None,
                            "text": _("Nog geen contact vastgelegd; ritme '%(rule)s': minstens elke %(n)s dagen.")
                            % {"rule": rule.name, "n": rule.interval_days}})
        else:
            due = client.last_contact + timedelta(days=rule.interval_days)
            if due < today:
                reasons.append({"code": Reason.OVERDUE, "days": (today - due).days,
                                "text": _("Contact %(late)s dagen te laat: laatste contact %(last)s, ritme '%(rule)s' "
                                          "(minstens elke %(n)s dagen).")
                                % {"late": (today - due).days, "last": client.last_contact.strftime("%d-%m-%Y"),
                                   "rule": rule.name, "n": rule.interval_days}})
    diagnosed = [d for d in (client.last_ladder_on, client.last_zrm_on) if d is not None]
    if not diagnosed:
        reasons.append({"code": Reason.NEVER_DIAGNOSED, "days": None,
                        "text": _("Nog nooit gediagnosticeerd: geen trede en geen ZRM vastgelegd.")})
    elif (today - max(diagnosed)).days > DIAGNOSIS_MAX_AGE_DAYS:
        reasons.append({"code": Reason.DIAGNOSIS_STALE, "days": (today - max(diagnosed)).days - DIAGNOSIS_MAX_AGE_DAYS,
                        "text": _("Diagnose ouder dan twaalf maanden (laatste op %(date)s).")
                        % {"date": max(diagnosed).strftime("%d-%m-%Y")}})
    for until, label in ((client.work_exemption_until, _("Ontheffing van de arbeidsverplichtingen")),
                         (client.job_search_exemption_until, _("Ontheffing van de sollicitatieplicht"))):
        if until is not None and until <= today + timedelta(days=EXEMPTION_WARNING_DAYS):
            text = (_("%(what)s is verlopen op %(date)s; opnieuw beoordelen.") if until < today
                    else _("%(what)s loopt af op %(date)s."))
            reasons.append({"code": Reason.EXEMPTION_EXPIRING, "days": (today - until).days,
                            "text": text % {"what": label, "date": until.strftime("%d-%m-%Y")}})
    exempt = client.work_exemption_until is not None and client.work_exemption_until >= today
    first = first_diagnosis
    if (first is not None and not has_plan and not exempt
            and (today - first).days > PLAN_AFTER_DIAGNOSIS_DAYS):
        reasons.append({"code": Reason.NO_PLAN, "days": (today - first).days - PLAN_AFTER_DIAGNOSIS_DAYS,
                        "text": _("Gediagnosticeerd sinds %(date)s, maar nog geen plan van aanpak.")
                        % {"date": first.strftime("%d-%m-%Y")}})
    if client.follow_up_on is not None and client.follow_up_on <= today + timedelta(days=FOLLOW_UP_WARNING_DAYS):
        reasons.append({"code": Reason.FOLLOW_UP_DUE, "days": (today - client.follow_up_on).days,
                        "text": _("Afgesproken vervolg op %(date)s.") % {"date": client.follow_up_on.strftime("%d-%m-%Y")}})
    return reasons


def _urgency(reasons: list[dict]) -> int:
    weights = {Reason.OVERDUE: 3, Reason.NEVER_CONTACTED: 3, Reason.EXEMPTION_EXPIRING: 2, Reason.FOLLOW_UP_DUE: 2,
               Reason.NEVER_DIAGNOSED: 2, Reason.DIAGNOSIS_STALE: 1, Reason.NO_PLAN: 1, Reason.CAMPAIGN: 1,
               Reason.AFTERCARE: 2, Reason.RETURN_TO_BENEFIT: 2}
    return sum(weights[r["code"]] for r in reasons) * 1000 + max([r["days"] or 0 for r in reasons] + [0])


def worklist_clients(user: User, *, client_manager: User | None = None, team_id: int | None = None,
                     running_benefit: bool = True) -> QuerySet:
    """The clients a worklist covers: a client manager's own caseload; for a team lead the clients of their teams
    (or of one team, or one client manager in them). Only clients with a running benefit, unless
    ``running_benefit`` is False (aftercare is for clients who left)."""
    clients = clients_for(user)
    if running_benefit:
        clients = clients.filter(active_spell_start__isnull=False)
    if client_manager is not None:
        return clients.filter(client_manager=client_manager)
    if user.has_role(roles.SEES_TEAM_WORKLISTS):
        # The same clients as "in scope and with a team", said so that PostgreSQL estimates the team's ~2,500 rows
        # rather than the municipality's 40,000: that misestimate made it JIT-compile the query (0.5 s of 0.7 s at
        # 400,000 clients, benchmarks/bench_worklist.py).
        return clients.filter(team_id=team_id) if team_id else clients.filter(team__in=user.teams.all())
    return clients.filter(client_manager=user)


@paused_gc()
def worklist(user: User, *, client_manager: User | None = None, team_id: int | None = None,
             today: date | None = None) -> list[WorklistItem]:
    """Every client that needs attention, most urgent first, each with its reasons. A team lead's list builds a few
    thousand objects that all live until it returns; the cyclic garbage collector is paused meanwhile, as in the
    import, because its scans of the whole process found nothing to free and made the slow tail."""
    today = today or timezone.localdate()
    clients = with_in_view_facts(worklist_clients(user, client_manager=client_manager, team_id=team_id)).only(
        "pk", "client_number", "given_names", "family_name", "client_manager_id", "municipality_id",
        "active_spell_start")
    clients = list(clients)
    extra = _delivery_reasons(user, clients, client_manager=client_manager, team_id=team_id, today=today)
    if not clients and not extra:
        return []
    ids = [client.pk for client in clients]
    rules_by_municipality: dict[int, list[ContactRhythmRule]] = {}
    for rule in ContactRhythmRule.objects.filter(active=True,
                                                 municipality_id__in={c.municipality_id for c in clients}):
        rules_by_municipality.setdefault(rule.municipality_id, []).append(rule)
    segments: dict[int, set[int]] = {}
    for client_id, segment_id in ClientSegment.objects.filter(client_id__in=ids).values_list("client_id", "segment_id"):
        segments.setdefault(client_id, set()).add(segment_id)
    open_invitations = dict(CampaignInvitation.objects.filter(
        client_id__in=ids, invited_on__isnull=True, campaign__closed_on__isnull=True).values_list(
        "client_id", "campaign__name"))
    # "No plan" needs the date of the first diagnosis, read only for the clients without a plan, in one query per
    # instrument (as correlated subqueries for every client they doubled the team lead's worklist time).
    unplanned = [c.pk for c in clients if not c.has_plan and (c.last_ladder_on or c.last_zrm_on)]
    first_diagnosis: dict[int, date] = {}
    for model in (LadderMeasurement, ZrmMeasurement):
        # All their measurements (a few per client); corrected ones are left out here, which keeps the query a plain
        # scan of the (client, date) index rather than an anti-join of the measurement table with itself.
        rows = list(model.objects.filter(client_id__in=unplanned).values_list("client_id", "id", "measured_on",
                                                                                "corrects_id"))
        corrected = {corrects for _client, _id, _day, corrects in rows if corrects is not None}
        for client_id, pk, measured_on, _corrects in rows:
            if pk not in corrected:
                first_diagnosis[client_id] = min(measured_on, first_diagnosis.get(client_id, measured_on))
    items = []
    for client in clients:
        reasons = reasons_for(client, rules_by_municipality.get(client.municipality_id, []),
                              segments.get(client.pk, set()), today, has_plan=client.has_plan,
                              first_diagnosis=first_diagnosis.get(client.pk))
        if client.pk in open_invitations:
            reasons.append({"code": Reason.CAMPAIGN, "days": None,
                            "text": _("Uitnodigen voor de doorlichting '%(name)s'.") % {"name": open_invitations[client.pk]}})
        reasons += extra.pop(client.pk, ([], None))[0]
        if reasons:
            items.append(WorklistItem(client.pk, client.client_number, client.display_name, client.client_manager_id,
                                      reasons, _urgency(reasons)))
    for client_id, (reasons, client) in extra.items():
        # Clients after outflow: no running benefit, so only the aftercare query knows them.
        items.append(WorklistItem(client_id, client.client_number, client.display_name, client.client_manager_id,
                                  reasons, _urgency(reasons)))
    items.sort(key=lambda item: (-item.urgency, item.name))
    return items


def _delivery_reasons(user: User, clients: list, *, client_manager, team_id, today: date) -> dict:
    """Aftercare contacts due and recent returns to benefit, two queries whatever the caseload's size:
    client id → (reasons, client). The aftercare query covers the worklist's clients without the running-benefit
    filter; the return query reads the (few) recent returns among the worklist's own clients."""
    extra: dict[int, tuple[list, object]] = {}
    by_id = {client.pk: client for client in clients}
    for row in aftercare_due(worklist_clients(user, client_manager=client_manager, team_id=team_id,
                                              running_benefit=False),
                             until=today + timedelta(days=AFTERCARE_WARNING_DAYS)):
        client = by_id.get(row["client_id"]) or Client(
            pk=row["client_id"], client_number=row["client__client_number"], given_names=row["client__given_names"],
            family_name=row["client__family_name"], client_manager_id=row["client__client_manager_id"])
        reasons = extra.setdefault(row["client_id"], ([], client))[0]
        reasons.append({"code": Reason.AFTERCARE, "days": (today - row["due_on"]).days,
                        "text": _("Nazorg: contact %(n)s maanden na de uitstroom van %(outflow)s, gepland op %(date)s.")
                        % {"n": row["months_after"], "outflow": row["outflow_on"].strftime("%d-%m-%Y"),
                           "date": row["due_on"].strftime("%d-%m-%Y")}})
    if by_id:
        returns = ReturnToBenefit.objects.filter(
            detected_on__gte=today - timedelta(days=RETURN_TO_BENEFIT_DAYS),
            client_id__in=list(by_id)).values_list("client_id", "months_between", "previous_end")
        for client_id, months, previous_end in returns:
            reasons = extra.setdefault(client_id, ([], by_id[client_id]))[0]
            reasons.append({"code": Reason.RETURN_TO_BENEFIT, "days": None,
                            "text": _("Draaideur: terug in de uitkering na %(n)s maanden (vorige uitkering eindigde "
                                      "op %(date)s).") % {"n": months, "date": previous_end.strftime("%d-%m-%Y")}})
    return extra


def caseload_balance(user: User, *, team_id: int | None = None, today: date | None = None) -> list[dict]:
    """Per client manager in the team lead's teams: clients with a running benefit and worklist items."""
    return caseload_balance_from(user, worklist(user, team_id=team_id, today=today), team_id=team_id)


# --- Campaigns -------------------------------------------------------------------------------------------------


@dataclass
class CampaignCriteria:
    municipality_id: int
    min_benefit_years: int | None = None
    no_contact_months: int | None = None
    trede_max: int | None = None
    team_id: int | None = None
    without_diagnosis: bool = False
    segment_id: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def campaign_selection(user: User, criteria: CampaignCriteria, *, today: date) -> QuerySet:
    """The clients in the user's scope that meet the criteria, e.g. more than two years on benefit and no contact in
    twelve months. Set-wise: an anti-join on the contact index, not a loop over clients."""
    clients = clients_for(user).filter(municipality_id=criteria.municipality_id, active_spell_start__isnull=False)
    if criteria.team_id:
        clients = clients.filter(team_id=criteria.team_id)
    if criteria.min_benefit_years:
        clients = clients.filter(active_spell_start__lte=_years_before(today, criteria.min_benefit_years))
    if criteria.no_contact_months:
        since = today - timedelta(days=round(criteria.no_contact_months * 30.44))
        clients = clients.exclude(Exists(Contact.objects.filter(client=OuterRef("pk"), contacted_on__gte=since)))
    if criteria.trede_max:
        clients = clients.annotate(trede=_latest(LadderMeasurement, "trede")).filter(
            Q(trede__lte=criteria.trede_max) | Q(trede__isnull=True))
    if criteria.segment_id:
        clients = clients.filter(Exists(ClientSegment.objects.filter(client=OuterRef("pk"),
                                                                     segment_id=criteria.segment_id)))
    if criteria.without_diagnosis:
        clients = clients.exclude(Exists(LadderMeasurement.objects.filter(client=OuterRef("pk")))).exclude(
            Exists(ZrmMeasurement.objects.filter(client=OuterRef("pk"))))
    return clients


def campaigns_for(user: User) -> QuerySet:
    """The campaigns a user follows: those they started, and those with clients in their teams."""
    in_my_teams = CampaignInvitation.objects.filter(campaign=OuterRef("pk"), client__team__in=user.teams.all())
    return Campaign.objects.filter(municipality__in=user.municipalities.all()).filter(
        Q(created_by=user) | Q(Exists(in_my_teams))).select_related("created_by")


def _progress_counts(since) -> dict:
    """Aggregates over invitations: how many were invited, reached (any contact since ``since``), seen (face to face)
    and diagnosed (a ladder step or ZRM since ``since``). ``since`` is a date or the campaign's start as OuterRef."""
    contacts = Contact.objects.filter(client=OuterRef("client_id"), contacted_on__gte=since)
    return {
        "total": Count("pk"),
        "invited": Count("pk", filter=Q(invited_on__isnull=False)),
        "reached": Count("pk", filter=Q(Exists(contacts))),
        "seen": Count("pk", filter=Q(Exists(contacts.filter(channel__in=FACE_TO_FACE)))),
        "diagnosed": Count("pk", filter=Q(Exists(LadderMeasurement.objects.filter(
            client=OuterRef("client_id"), measured_on__gte=since))) | Q(Exists(ZrmMeasurement.objects.filter(
                client=OuterRef("client_id"), measured_on__gte=since)))),
    }


def campaign_progress(campaign: Campaign, user: User) -> dict:
    """Invited, reached, seen and diagnosed — in total and per client manager. Reached, seen and diagnosed are read
    from the contacts and measurements recorded since the campaign started."""
    # Only the clients in the user's own scope count, so a team lead never sees another team's progress.
    invitations = CampaignInvitation.objects.filter(campaign=campaign, client__in=clients_for(user))
    if not user.has_role(roles.RUNS_CAMPAIGNS):
        invitations = invitations.filter(client_manager=user)
    rows = invitations.values("client_manager").annotate(**_progress_counts(campaign.started_on)).order_by(
        "client_manager")
    rows = list(rows)
    managers = {u.pk: u for u in User.objects.filter(pk__in=[r["client_manager"] for r in rows if r["client_manager"]])}
    for row in rows:
        row["client_manager"] = managers.get(row["client_manager"])
    keys = ("total", "invited", "reached", "seen", "diagnosed")
    totals = {key: sum(row[key] for row in rows) for key in keys}
    return {"totals": totals, "per_manager": rows}


def assessments_count() -> int:
    return LadderMeasurement.objects.count() + ZrmMeasurement.objects.count() + Intake.objects.count()


def contacts_count() -> int:
    return Contact.objects.count()


# --- For the web pages (in-view UI) ------------------------------------------------------------------------------
# Added with the worklist, campaign and contact pages. Each reads a fixed number of queries.


def caseload_balance_from(user: User, items: list[WorklistItem], *, team_id: int | None = None) -> list[dict]:
    """The caseload balance for a worklist already computed (the team lead's page shows both, so the worklist is not
    computed twice): per client manager, clients with a running benefit and items needing attention."""
    clients = worklist_clients(user, team_id=team_id)
    per_manager = dict(clients.values_list("client_manager").annotate(n=Count("pk")).values_list("client_manager", "n"))
    attention = Counter(item.client_manager_id for item in items)
    managers = {u.pk: u for u in User.objects.filter(pk__in=[pk for pk in per_manager if pk])}
    rows = [{"client_manager": managers.get(pk), "clients": n, "attention": attention.get(pk, 0)}
            for pk, n in per_manager.items()]
    rows.sort(key=lambda row: (row["client_manager"] is None, -row["clients"]))
    return rows


def invitable_for(user: User, client_ids: list[int]) -> dict[int, list[dict]]:
    """The open campaign invitations among these clients that this user may mark as sent (the rule of
    ``services.mark_invited``): a team lead any in their municipalities' campaigns, a client manager their own."""
    invitations = CampaignInvitation.objects.filter(
        client_id__in=client_ids, invited_on__isnull=True, campaign__closed_on__isnull=True,
        campaign__municipality__in=user.municipalities.all())
    if not user.has_role(roles.RUNS_CAMPAIGNS):
        invitations = invitations.filter(client_manager=user)
    result: dict[int, list[dict]] = {}
    for client_id, campaign_id, name in invitations.order_by("campaign_id").values_list(
            "client_id", "campaign_id", "campaign__name"):
        result.setdefault(client_id, []).append({"campaign_id": campaign_id, "name": name})
    return result


def pending_invitations(campaign: Campaign, user: User) -> QuerySet:
    """The campaign's invitations not yet sent, of clients in the user's scope (a client manager: their own)."""
    invitations = CampaignInvitation.objects.filter(campaign=campaign, invited_on__isnull=True,
                                                    client__in=clients_for(user))
    if not user.has_role(roles.RUNS_CAMPAIGNS):
        invitations = invitations.filter(client_manager=user)
    return invitations.select_related("client", "client_manager").order_by(
        "client_manager__last_name", "client_manager__first_name", "client__search_name", "pk")


def campaigns_with_progress(user: User) -> list[Campaign]:
    """``campaigns_for`` with each campaign's totals (``progress``: invited, reached, seen, diagnosed) in one query
    over all invitations, grouped by campaign, rather than one per campaign."""
    campaigns = list(campaigns_for(user).select_related("municipality"))
    if not campaigns:
        return []
    rows = CampaignInvitation.objects.filter(campaign__in=[c.pk for c in campaigns],
                                             client__in=clients_for(user)).values("campaign").annotate(
        **_progress_counts(OuterRef("campaign__started_on"))).order_by("campaign")
    by_campaign = {row.pop("campaign"): row for row in rows}
    empty = {"total": 0, "invited": 0, "reached": 0, "seen": 0, "diagnosed": 0}
    for campaign in campaigns:
        campaign.progress = by_campaign.get(campaign.pk, empty)
    return campaigns


def campaign_preview(user: User, criteria: CampaignCriteria, *, today: date) -> dict:
    """How many clients a campaign with these criteria would select, and how many of them have no client manager
    yet (those are spread over the least-loaded client managers of their team)."""
    return campaign_selection(user, criteria, today=today).aggregate(
        total=Count("pk"), without_manager=Count("pk", filter=Q(client_manager__isnull=True)))
