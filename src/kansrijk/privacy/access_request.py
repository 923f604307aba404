"""The client's whole file for an access request (inzageverzoek, AVG art. 15), in readable Dutch.

Built from ``registry.SPECS`` (one query per record type, whatever the number of records) plus the change history
of those records, the access log, the recipients (providers and employers), the logic of the recommendations and
the retention period that applies. Professionals appear by role (and, for a provider, by organisation), not by name:
the client has the right to know when their data was consulted and by which recipients, not the identity of each
civil servant (CJEU C-579/21, Pankki S, 2023); the municipality can still name someone on request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone, translation

from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import Client

from . import retention
from .models import RetentionRule
from .registry import CLIENT_HIDE, SPECS, Spec

LOGIC_TEXT = (
    "Kansrijk kan aanpakken (trajecten, instrumenten) aanbevelen die bij uw situatie passen. Dat gebeurt met vaste, "
    "openbare regels: de toelatingseisen van de aanpak (bijvoorbeeld taalniveau, belastbaarheid of regeling) worden "
    "vergeleken met wat bij het keukentafelgesprek en de tredemeting is vastgelegd, en aanpakken met een beter bewezen "
    "effect komen hoger. Elke aanbeveling legt in zinnen uit waarom zij past of wat nog ontbreekt; die zinnen staan "
    "hieronder bij de besluiten, zoals uw klantmanager ze zag. Gezondheid, verslaving en afkomst worden nooit gebruikt "
    "om aanpakken of vacatures te rangschikken. Een aanbeveling is een voorstel: uw klantmanager besluit, met u, en "
    "dat besluit wordt vastgelegd. Er wordt geen risico- of fraudescore over u berekend."
)
RECIPIENTS_TEXT = (
    "Binnen de gemeente werken klantmanagers, teamleiders, wijkteammedewerkers en beheerders met uw gegevens, elk "
    "alleen met wat hun taak vraagt. Buiten de gemeente zijn gegevens alleen gedeeld met de organisaties hieronder."
)


@dataclass
class Record:
    number: int
    fields: list[tuple[str, str]]


@dataclass
class Section:
    key: str
    title: str
    records: list[Record] = field(default_factory=list)
    intro: str = ""


@dataclass
class ClientFile:
    client_number: str
    name: str
    municipality: str
    produced_at: datetime
    personal: list[tuple[str, str]]
    sections: list[Section]
    recipients: list[tuple[str, str]]
    logic: str
    retention: list[tuple[str, str]]

    def record_count(self) -> int:
        return sum(len(section.records) for section in self.sections)


# --- Formatting -----------------------------------------------------------------------------------------------------


def _date(value) -> str:
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y H:i")
    return formats.date_format(value, "j F Y")


def professional(user) -> str:
    """A professional as the client reads them: the role; a provider's user with the organisation."""
    if user is None:
        return "–"
    label = str(Role(user.role).label) if user.role in Role.values else user.role
    if user.role == Role.AANBIEDER and user.organisation:
        return f"{label} ({user.organisation})"
    return label


def _json_lines(value, prefix: str = "") -> list[str]:
    """A JSON snapshot as readable lines: reasons print their sentences, the rest ``key: value``."""
    lines: list[str] = []
    if isinstance(value, dict):
        if "text" in value and isinstance(value["text"], str):
            return [prefix + value["text"]]
        for key, item in value.items():
            if item in (None, "", [], {}):
                continue
            if isinstance(item, (dict, list)):
                inner = _json_lines(item, prefix + "  ")
                if inner:
                    lines.append(f"{prefix}{key}:")
                    lines.extend(inner)
            else:
                lines.append(f"{prefix}{key}: {item}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                lines.extend(_json_lines(item, prefix))
            else:
                lines.append(f"{prefix}{item}")
    elif value not in (None, ""):
        lines.append(f"{prefix}{value}")
    return lines


def _value(obj, model_field) -> str | None:
    if model_field.choices and not model_field.is_relation:
        raw = getattr(obj, model_field.attname)
        return None if raw in (None, "") else str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(model_field, models.ForeignKey | models.OneToOneField):
        if getattr(obj, model_field.attname) is None:
            return None
        related = model_field.related_model
        if related is obj.__class__ or related in _FILE_MODELS or related is Client:
            return f"nr. {getattr(obj, model_field.attname)}"
        target = getattr(obj, model_field.name)
        return professional(target) if related._meta.label == settings.AUTH_USER_MODEL else str(target)
    raw = getattr(obj, model_field.attname)
    if raw in (None, "", [], {}):
        return None
    if isinstance(model_field, models.JSONField):
        lines = _json_lines(raw if not isinstance(raw, str) else json.loads(raw))
        return "\n".join(lines) or None
    if isinstance(raw, bool):
        return "ja" if raw else "nee"
    if isinstance(raw, (date, datetime)):
        return _date(raw)
    return str(raw)


# Dutch labels for fields whose model gives no verbose name (Django then derives an English one from the name).
FALLBACK_LABELS = {
    "created_at": "Vastgelegd op", "judged_by": "Beoordeeld door", "measurement": "ZRM-meting",
    "segmentation": "Indeling", "placed_by": "Geplaatst door", "plan": "Plan van aanpak",
    "intake": "Keukentafelgesprek",
    "report": "Rapportage", "campaign": "Doorlichting", "recorded_by": "Vastgelegd door", "pilot": "Pilot",
    "client_consent_how": "Hoe gegeven", "timestamp": "Tijdstip",
}


def _label(model_field) -> str:
    label = str(model_field.verbose_name)
    if label == model_field.name.replace("_", " "):
        label = FALLBACK_LABELS.get(model_field.name, label)
    return label[:1].upper() + label[1:]


def _fields(obj, spec_hide: frozenset, path_field: str) -> list[tuple[str, str]]:
    rows = []
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key or model_field.name in spec_hide or model_field.name == path_field:
            continue
        value = _value(obj, model_field)
        if value is not None:
            rows.append((_label(model_field), value))
    for model_field in obj._meta.many_to_many:
        names = [str(item) for item in getattr(obj, model_field.name).all()]
        if names:
            rows.append((_label(model_field), ", ".join(names)))
    return rows


_FILE_MODELS = {spec.model for spec in SPECS}


def _queryset(spec: Spec, client: Client):
    user_fields = [f.name for f in spec.model._meta.concrete_fields
                   if f.is_relation and f.related_model._meta.label == settings.AUTH_USER_MODEL]
    qs = spec.model.objects.filter(**{spec.path: client}).select_related(*user_fields, *spec.related)
    m2m = [f.name for f in spec.model._meta.many_to_many]
    if m2m:
        qs = qs.prefetch_related(*m2m)
    if spec.date_field:
        qs = qs.order_by(spec.date_field, "pk")
    return qs


# --- The file -------------------------------------------------------------------------------------------------------


def client_file(client: Client, *, today: date | None = None) -> ClientFile:
    """The whole file of ``client``. A bounded number of queries: one per record type, one for the change history,
    the retention rules and the benefit end; none per record."""
    with translation.override("nl"):
        return _build(client, today or timezone.localdate())


# Snapshots that store a professional's name: a proposal's history keeps ``by`` (the full name, for the employer
# team's page) beside ``by_id``. The file shows the role instead (``_roles_in_history``); the change history, which
# would print the raw snapshot, leaves these fields out (the record itself shows them).
NAMES_IN_SNAPSHOTS = {"matching.matchproposal": frozenset({"history"})}


def _roles_in_history(rows) -> None:
    """Replace the name in each step of the proposals' history by the role (one query for all rows), in memory only."""
    from kansrijk.accounts.models import User

    steps = [step for row in rows for step in (row.history or []) if isinstance(step, dict)]
    users = User.objects.in_bulk({step["by_id"] for step in steps if isinstance(step.get("by_id"), int)})
    for row in rows:
        row.history = [{**{key: value for key, value in step.items() if key not in ("by", "by_id")},
                        "door": professional(users.get(step.get("by_id")))} if isinstance(step, dict) else step
                       for step in (row.history or [])]


def _build(client: Client, today: date) -> ClientFile:
    personal = []
    for model_field in Client._meta.concrete_fields:
        if model_field.name in CLIENT_HIDE:
            continue
        value = _value(client, model_field)
        if value is not None:
            personal.append((_label(model_field), value))

    sections, loaded = [], {}
    for spec in SPECS:
        rows = list(_queryset(spec, client))
        loaded[spec.model] = rows
        if rows and spec.model._meta.label_lower in NAMES_IN_SNAPSHOTS:
            _roles_in_history(rows)
        path_field = spec.path.split("__")[0] if spec.path == "client" else ""
        section = Section(key=spec.model._meta.label_lower, title=spec.title)
        for row in rows:
            section.records.append(Record(number=row.pk, fields=_fields(row, spec.hide, path_field)))
        sections.append(section)

    sections.append(_change_history(client, loaded))
    return ClientFile(
        client_number=client.client_number, name=client.display_name, municipality=str(client.municipality),
        produced_at=timezone.now(), personal=personal, sections=sections,
        recipients=_recipients(loaded), logic=LOGIC_TEXT, retention=_retention(client, today),
    )


def _change_history(client: Client, loaded: dict) -> Section:
    """Every change django-auditlog recorded to the client or to one of the loaded records, in one query."""
    condition = Q(content_type=ContentType.objects.get_for_model(Client), object_id=client.pk)
    for model, rows in loaded.items():
        if rows:
            condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[r.pk for r in rows])
    entries = (LogEntry.objects.filter(condition & Q(content_type__isnull=False)).select_related("actor",
                                                                                               "content_type")
               .order_by("timestamp", "pk"))
    section = Section(key="wijzigingen", title="Wijzigingen in uw gegevens (wie veranderde wat, wanneer)")
    actions = {LogEntry.Action.CREATE: "aangemaakt", LogEntry.Action.UPDATE: "gewijzigd",
               LogEntry.Action.DELETE: "verwijderd"}
    for entry in entries:
        model = entry.content_type.model_class()
        label = str(model._meta.verbose_name) if model else entry.content_type.model
        fields = [("Tijdstip", _date(entry.timestamp)), ("Wat", f"{label} nr. {entry.object_pk}"),
                  ("Handeling", actions.get(entry.action, str(entry.action))),
                  ("Door", professional(entry.actor) if entry.actor_id else "het systeem (import of taak)")]
        hidden = NAMES_IN_SNAPSHOTS.get(entry.content_type.app_label + "." + entry.content_type.model, frozenset())
        for name, change in (entry.changes or {}).items() if isinstance(entry.changes, dict) else []:
            if isinstance(change, list) and len(change) == 2 and name not in hidden:
                fields.append((name, f"{change[0]} → {change[1]}"))
        section.records.append(Record(number=entry.pk, fields=fields))
    return section


def _recipients(loaded: dict) -> list[tuple[str, str]]:
    from kansrijk.matching.models import MatchProposal, ProposalStatus
    from kansrijk.trajectories.models import Referral

    recipients = []
    for referral in loaded.get(Referral, []):
        shared = ", ".join(key for key, value in (referral.shared or {}).items() if value not in (None, "", [], {}))
        recipients.append((str(referral.provider),
                           f"verwijzing op {_date(referral.referred_on)}; gedeeld: {shared or 'de verwijsvraag'}"))
    for proposal in loaded.get(MatchProposal, []):
        if proposal.status != ProposalStatus.VOORGESTELD:
            recipients.append((str(proposal.vacancy.employer),
                               f"voorgedragen voor de vacature {proposal.vacancy} ({proposal.get_status_display()})"))
    return recipients


def _retention(client: Client, today: date) -> list[tuple[str, str]]:
    benefit_end = retention.benefit_end_of(client.pk)
    lines = []
    for rule in RetentionRule.objects.filter(active=True).order_by("record_type"):
        text = (f"{rule.period_months} maanden na {rule.get_starts_from_display().lower()}, daarna "
                f"{rule.get_action_display().lower()}.")
        if rule.starts_from == "benefit_end":
            if benefit_end is None:
                text += " Uw uitkering loopt nog (of is niet bekend): de termijn is nog niet begonnen."
            else:
                text += f" Voor u: vanaf {_date(retention.add_months(benefit_end, rule.period_months))}."
        lines.append((rule.get_record_type_display(), text))
    return lines
