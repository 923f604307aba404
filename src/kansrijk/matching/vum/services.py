"""Export and import of VUM documents.

Export: every item is validated against the contract before anything is handed out; an invalid item is a bug and
raises ``VumExportError`` rather than leaving the municipality. Profiles leave only for clients with an active
consent (``ProfileConsent`` not withdrawn: the client's and the client manager's, the HalloWerk pattern) and every
exported profile leaves an access record for the user who exported it.

Import: all or nothing. Every item is checked against the contract and against Kansrijk's own limits; all problems
are collected with their place, and if there is one, nothing is written (also with ``dry_run``, which rolls back).

- Vacancies are found by (municipality, ``external_id`` = idVacature), or by their own id when idVacature is one that
  Kansrijk generated for this municipality (``kansrijk-<CBS>-<id>``), so an export read back in changes nothing.
  Their employer is found by name (case-insensitive) within the municipality or created; an existing employer's
  empty fields are filled, filled ones are left to the employer services team.
- Profiles update the JobSeekerProfile of an existing client, found by the pseudonym Kansrijk exported
  (``key="pseudoniem"``) or by client number (``key="clientnummer"``). An unknown id is an error: clients come only
  from the caseload import, never from an exchange. Fields a document does not carry stay as they are. The intake is
  never written: it is a dated record of a conversation, not something a file can say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from kansrijk.audit.services import log_bulk_access_by_ids
from kansrijk.caseload.models import Client
from kansrijk.diagnosis.models import Intake

from ..models import Employer, JobSeekerProfile, ProfileConsent, Vacancy, VacancyStatus
from . import documents, profiles, vacancies
from .documents import Document
from .schemas import VACATURES, WERKZOEKENDEN, Problem, place_of, validate_item

EXPORT_ACCESS_VIEW = "vum_export_werkzoekenden"
KEYS = ("pseudoniem", "clientnummer")
INTAKE_FIELDS = ("client_id", "education", "dutch_speaking", "dutch_listening", "dutch_reading", "dutch_writing",
                 "driving_licence", "hours_per_week", "transport", "work_experience")


class VumExportError(Exception):
    """An exported item does not conform to the contract (a mapping bug); nothing is written or handed out."""


# --- Export ----------------------------------------------------------------------------------------------------------


def consented_clients(municipality):
    """Clients of the municipality with an active consent to share their profile."""
    active = ProfileConsent.objects.filter(client=OuterRef("pk"), withdrawn_at__isnull=True)
    return Client.objects.filter(municipality=municipality).filter(Exists(active))


def export_profiles(*, municipality, user) -> dict:
    """The envelope of every consented client's ``Werkzoekende``; one access record per client for ``user``."""
    clients = list(consented_clients(municipality).select_related("job_seeker_profile")
                   .only("pk", "client_number", "job_seeker_profile").order_by("client_number", "pk"))
    intakes = _latest_intakes(municipality)
    key = profiles.pseudonym_key()
    items = [profiles.werkzoekende(client, getattr(client, "job_seeker_profile", None), intakes.get(client.pk),
                                   cbs_code=municipality.cbs_code, key=key) for client in clients]
    _check_export(WERKZOEKENDEN, items)
    log_bulk_access_by_ids(user=user, client_ids=[client.pk for client in clients], view=EXPORT_ACCESS_VIEW)
    return documents.envelope(WERKZOEKENDEN, items, municipality)


def _latest_intakes(municipality) -> dict:
    """Per consented client its latest current intake (one query, whatever the number of clients)."""
    latest = {}
    rows = (Intake.objects.filter(client__in=consented_clients(municipality).values("pk"), corrected_by__isnull=True)
            .only(*INTAKE_FIELDS).order_by("client_id", "-measured_on", "-id"))
    for intake in rows:
        latest.setdefault(intake.client_id, intake)
    return latest


def open_vacancies(municipality):
    return (Vacancy.objects.filter(municipality=municipality, status=VacancyStatus.OPEN)
            .select_related("employer").order_by("pk"))


def export_vacancies(*, municipality) -> dict:
    items = [vacancies.vacature(vacancy, cbs_code=municipality.cbs_code) for vacancy in open_vacancies(municipality)]
    _check_export(VACATURES, items)
    return documents.envelope(VACATURES, items, municipality)


def _check_export(kind: str, items: list) -> None:
    problems = [problem for index, item in enumerate(items)
                for problem in validate_item(kind, item, f"{kind}[{index}]")]
    if problems:
        raise VumExportError("; ".join(str(problem) for problem in problems[:10]))


# --- Import ----------------------------------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    kind: str
    dry_run: bool
    items: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    employers_created: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "soort": self.kind, "dry_run": self.dry_run, "ok": self.ok, "items": self.items,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "employers_created": self.employers_created,
            "problems": [problem.as_dict() for problem in self.problems],
            "notes": [note.as_dict() for note in self.notes],
        }


def import_document(document: Document, *, municipality, user=None, dry_run: bool = False,
                    key: str = "pseudoniem") -> ImportSummary:
    """Import a read document. Nothing is written if any item has a problem, or with ``dry_run``."""
    summary = ImportSummary(document.kind, dry_run, items=len(document.items))
    valid = []
    for index, item in enumerate(document.items):
        place = document.place(index)
        problems = validate_item(document.kind, item, place)
        summary.problems.extend(problems)
        if not problems:
            valid.append((place, item))
    with transaction.atomic():
        if document.kind == VACATURES:
            _import_vacancies(valid, summary, municipality=municipality, user=user)
        else:
            _import_profiles(valid, summary, municipality=municipality, user=user, key=key)
        if summary.problems or dry_run:
            transaction.set_rollback(True)  # all or nothing: the counts stay, the writes go
    if summary.problems:
        summary.created = summary.updated = summary.unchanged = summary.employers_created = 0
    return summary


def _at(place: str, path: str) -> str:
    return f"{place}.{path}" if place else path


def _import_vacancies(items, summary: ImportSummary, *, municipality, user) -> None:
    read = []
    seen: dict[str, str] = {}
    for place, item in items:
        values = vacancies.vacancy_values(item)
        summary.problems.extend(Problem(_at(place, path), message) for path, message in values.problems)
        summary.notes.extend(Problem(_at(place, path), message) for path, message in values.notes)
        if values.id in seen:
            summary.problems.append(Problem(_at(place, "idVacature"),
                                            f"{json.dumps(values.id)} staat ook op {seen[values.id]}"))
        elif values.id:
            seen[values.id] = place_of(place, [])
        read.append(values)
    if summary.problems:
        return
    existing = _existing_vacancies(municipality, [values.id for values in read])
    employers = _employers(municipality, read, summary, user=user)
    to_create, to_update = [], []
    fields = sorted({name for values in read for name in values.vacancy} | {"employer"})
    diffs = {}
    for values in read:
        employer = employers[values.employer["name"].casefold()]
        vacancy = existing.get(values.id)
        if vacancy is None:
            to_create.append(Vacancy(municipality=municipality, employer=employer, external_id=values.id,
                                     created_by=user, **values.vacancy))
            continue
        diff = {"employer": [vacancy.employer_id, employer.pk]} if vacancy.employer_id != employer.pk else {}
        for name, value in values.vacancy.items():
            if getattr(vacancy, name) != value:
                diff[name] = [getattr(vacancy, name), value]
                setattr(vacancy, name, value)
        if diff:
            vacancy.employer = employer
            vacancy.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
            to_update.append(vacancy)
            diffs[id(vacancy)] = diff
        else:
            summary.unchanged += 1
    Vacancy.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Vacancy.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=500)
    summary.created, summary.updated = len(to_create), len(to_update)
    _audit(Vacancy, created=[(v, {"title": [None, v.title], "external_id": [None, v.external_id]})
                             for v in to_create],
           updated=[(v, diffs[id(v)]) for v in to_update], user=user, kind=VACATURES)


def _existing_vacancies(municipality, ids: list[str]) -> dict[str, Vacancy]:
    found = {vacancy.external_id: vacancy
             for vacancy in Vacancy.objects.filter(municipality=municipality, external_id__in=ids)}
    own = {}
    for vacancy_id in ids:
        match = vacancies.GENERATED_ID.match(vacancy_id)
        if vacancy_id not in found and match and match["cbs"] == municipality.cbs_code:
            own[int(match["pk"])] = vacancy_id
    for vacancy in Vacancy.objects.filter(municipality=municipality, pk__in=list(own), external_id=""):
        found[own[vacancy.pk]] = vacancy
    return found


def _employers(municipality, read, summary: ImportSummary, *, user=None) -> dict[str, Employer]:
    wanted = {values.employer["name"].casefold(): values.employer for values in read}
    found = {}
    for employer in (Employer.objects.filter(municipality=municipality)
                     .annotate(folded=Lower("name")).filter(folded__in=[name.lower() for name in wanted])
                     .order_by("pk")):
        found.setdefault(employer.name.casefold(), employer)
    new, filled = [], []
    for folded, values in wanted.items():
        employer = found.get(folded)
        if employer is None:
            employer = Employer(municipality=municipality, **values)
            new.append(employer)
            found[folded] = employer
            continue
        blanks = {name: value for name, value in values.items() if name != "name" and not getattr(employer, name)}
        if blanks:
            for name, value in blanks.items():
                setattr(employer, name, value)
            employer.updated_at = timezone.now()
            filled.append((employer, {name: ["", value] for name, value in blanks.items()}))
    Employer.objects.bulk_create(new, batch_size=500)
    if filled:
        Employer.objects.bulk_update([employer for employer, _diff in filled],
                                     ["website", "sector", "postcode", "place", "address", "updated_at"])
    summary.employers_created = len(new)
    _audit(Employer, created=[(e, {"name": [None, e.name]}) for e in new], updated=filled, user=user,
           kind=VACATURES)
    return found


def _import_profiles(items, summary: ImportSummary, *, municipality, user, key: str) -> None:
    if key not in KEYS:
        raise ValueError(f"unknown key {key!r}")
    read = []
    seen: dict[str, str] = {}
    for place, item in items:
        values = profiles.profile_values(item)
        summary.problems.extend(Problem(_at(place, path), message) for path, message in values.problems)
        summary.notes.extend(Problem(_at(place, path), message) for path, message in values.notes)
        if values.id in seen:
            summary.problems.append(Problem(_at(place, "idWerkzoekende"), f"staat ook op {seen[values.id]}"))
        seen.setdefault(values.id, place_of(place, []))
        read.append((place, values))
    client_ids = _clients_by_id(municipality, [values.id for _, values in read], key)
    for place, values in read:
        if values.id not in client_ids:
            summary.problems.append(Problem(_at(place, "idWerkzoekende"), _unknown(values.id, municipality, key)))
    if summary.problems:
        return
    existing = {profile.client_id: profile
                for profile in JobSeekerProfile.objects.filter(client_id__in=list(client_ids.values()))}
    to_create, to_update = [], []
    diffs: dict[int, dict] = {}
    fields = sorted({name for _, values in read for name in values.values})
    for _, values in read:
        client_id = client_ids[values.id]
        profile = existing.get(client_id)
        if profile is None:
            to_create.append(JobSeekerProfile(client_id=client_id, updated_by=user, **values.values))
            continue
        diff = {}
        for name, value in values.values.items():
            if getattr(profile, name) != value:
                diff[name] = [getattr(profile, name), value]
                setattr(profile, name, value)
        if diff:
            profile.updated_by = user
            profile.updated_at = timezone.now()
            to_update.append(profile)
            diffs[client_id] = diff
        else:
            summary.unchanged += 1
    JobSeekerProfile.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        JobSeekerProfile.objects.bulk_update(to_update, [*fields, "updated_by", "updated_at"], batch_size=500)
    summary.created, summary.updated = len(to_create), len(to_update)
    _audit(JobSeekerProfile, created=[(p, {name: [None, getattr(p, name)] for name in fields}) for p in to_create],
           updated=[(p, diffs[p.client_id]) for p in to_update], user=user, kind=WERKZOEKENDEN)


def _audit(model, *, created: list, updated: list, user, kind: str) -> None:
    """Audit-trail entries for what an import wrote: bulk_create and bulk_update send no signals, so
    django-auditlog would record nothing. ``created`` and ``updated`` hold (object, {field: [old, new]}). A dry run or
    a rejected file rolls these back with the rest."""
    rows = [(obj, LogEntry.Action.CREATE, diff) for obj, diff in created]
    rows += [(obj, LogEntry.Action.UPDATE, diff) for obj, diff in updated]
    if not rows:
        return
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    actor = user if getattr(user, "pk", None) else None
    LogEntry.objects.bulk_create([
        LogEntry(content_type=content_type, object_pk=str(obj.pk), object_id=obj.pk, object_repr=str(obj)[:200],
                 action=action, changes={name: [_text(old), _text(new)] for name, (old, new) in diff.items()},
                 actor=actor, timestamp=now, additional_data={"vum_import": kind})
        for obj, action, diff in rows], batch_size=500)


def _text(value):
    return None if value is None else str(value)


def _clients_by_id(municipality, ids: list[str], key: str) -> dict[str, int]:
    """The client id of every idWerkzoekende that belongs to a client of the municipality."""
    clients = Client.objects.filter(municipality=municipality)
    if key == "clientnummer":
        return dict(clients.filter(client_number__in=ids).values_list("client_number", "pk"))
    wanted = {value for value in ids if value.startswith(f"{municipality.cbs_code}-")}
    if not wanted:
        return {}
    # A pseudonym cannot be reversed, so it is computed for the municipality's clients until all are found.
    secret = profiles.pseudonym_key()
    found = {}
    for pk, number in clients.values_list("pk", "client_number").iterator(chunk_size=5000):
        value = profiles.pseudonym(municipality.cbs_code, number, secret)
        if value in wanted:
            found[value] = pk
            if len(found) == len(wanted):
                break
    return found


def _unknown(value: str, municipality, key: str) -> str:
    if key == "clientnummer":
        return (f"geen cliënt met cliëntnummer {json.dumps(value)} in {municipality.name}; Kansrijk maakt "
                "geen cliënten aan via VUM (cliënten komen uit de import van het klantenbestand)")
    return (f"geen cliënt van {municipality.name} met dit kenmerk; Kansrijk maakt geen cliënten aan via VUM "
            "(cliënten komen uit de import van het klantenbestand). Komt het bestand niet uit Kansrijk, kies dan "
            "'cliëntnummer' als sleutel.")
