"""Reading the diagnosis: the current state of a client, progress over time, and the distance indicator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kansrijk.accounts import roles
from kansrijk.caseload.models import Client

from .instruments import ZRM_DOMAINS, ZRM_LEVELS, ZRM_SPECIAL_DOMAINS
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


def progress(client: Client) -> dict:
    """Ladder and ZRM over time, oldest first, for a chart with a table beside it."""
    ladder = [{"date": m.measured_on, "trede": m.trede, "step": m.step.code} for m in reversed(list(ladder_history(client)))]
    zrm = []
    for measurement in reversed(list(zrm_history(client))):
        levels = [score.level for score in measurement.scores.all()]
        zrm.append({"date": measurement.measured_on, "version": measurement.version,
                    "average": round(sum(levels) / len(levels), 1) if levels else None,
                    "lowest": min(levels) if levels else None})
    return {"ladder": ladder, "zrm": zrm, "levels": ZRM_LEVELS}


def latest_dates(client_ids) -> dict[int, dict[str, date]]:
    """Per client the date of the latest current ladder, ZRM and intake record (for lists)."""
    result: dict[int, dict[str, date]] = {}
    for key, model in (("ladder", LadderMeasurement), ("zrm", ZrmMeasurement), ("intake", Intake)):
        for client_id, measured_on in current(model.objects.filter(client_id__in=client_ids)).values_list(
                "client_id", "measured_on").order_by("client_id", "measured_on"):
            result.setdefault(client_id, {})[key] = measured_on
    return result
