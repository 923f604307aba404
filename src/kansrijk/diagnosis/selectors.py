"""Reading the diagnosis: the current state of a client, progress over time, and the distance indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kansrijk.accounts import roles
from kansrijk.caseload.models import Client

from .instruments import ZRM_DOMAINS, ZRM_SPECIAL_DOMAINS
from .models import DistanceClass, DistanceJudgement, Intake, LadderMeasurement, ZrmMeasurement, ZrmScore

DISTANCE_ORDER = [DistanceClass.KLEIN, DistanceClass.MIDDEL, DistanceClass.GROOT, DistanceClass.ZEER_GROOT]


def current(queryset):
    """Measurements that no later version corrects."""
    return queryset.filter(corrected_by__isnull=True)


def ladder_history(client: Client):
    return current(client.ladder_measurements.all()).select_related("step", "measured_by").prefetch_related("substeps")


def zrm_history(client: Client):
    return current(client.zrm_measurements.all()).select_related("measured_by").prefetch_related(
        Prefetch("scores", queryset=ZrmScore.objects.order_by("id")))


def intake_history(client: Client):
    return current(client.intakes.all()).select_related("measured_by", "special_categories")


def visible_zrm_domains(user, version: str) -> list[tuple[str, str]]:
    """The domains of a ZRM version this user may see: health and substance-use domains only for the roles that see
    those special categories."""
    hidden = set()
    if not user.has_role(roles.SEES_HEALTH):
        hidden |= {"geestelijke_gezondheid", "lichamelijke_gezondheid"}
    if not user.has_role(roles.SEES_ADDICTION):
        hidden |= {"middelengebruik", "verslaving"}
    return [(key, label) for key, label in ZRM_DOMAINS[version] if key not in hidden]


@dataclass
class DistanceIndicator:
    """The derived indication and, when the professional judged otherwise, that judgement. ``reasons`` are sentences a
    client manager can repeat to the client."""

    derived: str | None
    reasons: list[str] = field(default_factory=list)
    judgement: DistanceJudgement | None = None

    @property
    def value(self) -> str | None:
        return self.judgement.distance if self.judgement else self.derived

    @property
    def label(self) -> str:
        return str(DistanceClass(self.value).label) if self.value else _("Onbekend")


def distance_indicator(client: Client) -> DistanceIndicator:
    """A transparent indication of the distance to the labour market from the latest ladder step, the ZRM (without
    its health and substance-use domains) and the hours a week the client can work. A diagnosis aid, never a risk
    score: health, addiction, origin and language do not count, and the professional can override it."""
    ladder = ladder_history(client).first()
    zrm = zrm_history(client).first()
    intake = intake_history(client).first()
    judgement = client.distance_judgements.select_related("judged_by").first()
    return derive_distance(ladder, zrm, intake, judgement)


def derive_distance(ladder, zrm, intake, judgement=None) -> DistanceIndicator:
    if ladder is None and zrm is None:
        return DistanceIndicator(None, [_("Nog geen trede of ZRM vastgelegd: eerst een diagnose.")], judgement)
    reasons = []
    points = 0
    if ladder is not None:
        base = {1: 3, 2: 3, 3: 2, 4: 1, 5: 0, 6: 0}[ladder.trede]
        points = base
        reasons.append(_("Trede %(trede)s op de Participatieladder (gemeten op %(date)s).")
                       % {"trede": ladder.trede, "date": ladder.measured_on.strftime("%d-%m-%Y")})
    if zrm is not None:
        low = [score for score in zrm.scores.all() if score.domain not in ZRM_SPECIAL_DOMAINS and score.level <= 2]
        if ladder is None:
            points = 2 if low else 1
            reasons.append(_("Nog geen trede; de indicatie steunt alleen op de ZRM."))
        if len(low) >= 3:
            points += 1
            names = dict(ZRM_DOMAINS[zrm.version])
            reasons.append(_("Op %(n)s leefgebieden niet zelfredzaam of acute problemen: %(domains)s.")
                           % {"n": len(low), "domains": ", ".join(str(names[s.domain]).lower() for s in low)})
        elif low:
            reasons.append(_("Op %(n)s leefgebied(en) niet zelfredzaam; dat telt nog niet zwaar.") % {"n": len(low)})
    if intake is not None and intake.hours_per_week is not None:
        if intake.hours_per_week < 12:
            points += 1
            reasons.append(_("Belastbaar voor %(hours)s uur per week (minder dan 12).") % {"hours": intake.hours_per_week})
        elif intake.hours_per_week >= 32:
            points -= 1
            reasons.append(_("Belastbaar voor %(hours)s uur per week.") % {"hours": intake.hours_per_week})
    derived = DISTANCE_ORDER[max(0, min(points, 3))]
    return DistanceIndicator(derived.value, reasons, judgement)


def latest_dates(client_ids) -> dict[int, dict[str, date]]:
    """Per client the date of the latest current ladder, ZRM and intake record (for lists)."""
    result: dict[int, dict[str, date]] = {}
    for key, model in (("ladder", LadderMeasurement), ("zrm", ZrmMeasurement), ("intake", Intake)):
        for client_id, measured_on in current(model.objects.filter(client_id__in=client_ids)).values_list(
                "client_id", "measured_on").order_by("client_id", "measured_on"):
            result.setdefault(client_id, {})[key] = measured_on
    return result


# --- Diagnosis web pages (issue 4 UI) ------------------------------------------------------------------------------
# Every version of each record, corrected ones included with who corrected them, for the histories on the diagnosis
# page; and progress over time computed from those lists, with the ZRM average over the domains the viewer may see.


def ladder_versions(client: Client):
    """Every ladder measurement of the client, newest first, corrected ones included."""
    return client.ladder_measurements.select_related(
        "step", "measured_by", "corrects", "corrected_by__measured_by").prefetch_related("substeps")


def zrm_versions(client: Client):
    """Every ZRM of the client, newest first, corrected ones included."""
    return client.zrm_measurements.select_related(
        "measured_by", "corrects", "corrected_by__measured_by").prefetch_related(
        Prefetch("scores", queryset=ZrmScore.objects.order_by("id")))


def intake_versions(client: Client, *, special: bool = False):
    """Every intake of the client, newest first, corrected ones included. The special categories are only read
    when ``special`` is true (the caller checks the viewer's role)."""
    related = ["measured_by", "corrects", "corrected_by__measured_by"]
    if special:
        related.append("special_categories")
    return client.intakes.select_related(*related)


def correction_of(record):
    """The record that corrects ``record``, or None (works on the lists above without another query)."""
    return getattr(record, "corrected_by", None)


def latest_current(records):
    """The newest record of a newest-first list that no later version corrects."""
    return next((record for record in records if correction_of(record) is None), None)


def visible_progress(user, ladders, zrms) -> list[dict]:
    """Ladder step and ZRM average per date, oldest first, from newest-first lists of every version (corrected
    records are left out). The ZRM average counts only the domains ``user`` may see, so it never reveals a health
    or substance-use score to a role that may not see those."""
    rows: dict[date, dict] = {}
    for measurement in ladders:
        if correction_of(measurement) is None:
            row = rows.setdefault(measurement.measured_on, {"date": measurement.measured_on})
            row.setdefault("trede", measurement.trede)
            row.setdefault("step", measurement.step.code)
    for measurement in zrms:
        if correction_of(measurement) is not None:
            continue
        visible = {key for key, _label in visible_zrm_domains(user, measurement.version)}
        levels = [score.level for score in measurement.scores.all() if score.domain in visible]
        row = rows.setdefault(measurement.measured_on, {"date": measurement.measured_on})
        if levels and "zrm" not in row:
            row["zrm"] = round(sum(levels) / len(levels), 1)
            row["zrm_lowest"] = min(levels)
            row["zrm_version"] = measurement.version
    return [rows[day] for day in sorted(rows)]
