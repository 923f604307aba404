"""Services that change the caseload register: importing the benefit-system export, assigning clients.

Each service is one transaction: it either does all its work or none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, Team, User
from kansrijk.core.bulk import insert_rows, paused_gc, secondary_indexes_deferred, update_rows

from .importing import ExportUnreadable, ParsedExport, RowError, parse_export
from .models import BenefitSpell, CauseCode, Client, ImportRun, ReturnToBenefit, search_name_for
from .signals import benefit_ended

CLIENT_FIELDS = ["birth_year", "sex", "household", "dossier_number", "bsn", "given_names", "family_name",
                 "active_spell_start", "search_name"]
SPELL_FIELDS = ["end_date", "first_period_start", "last_period_start", "period_count", "group_code", "household",
                "cause_id", "end_reason"]


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a rejected file, would have done)."""

    status: str
    summary: dict
    errors: list[RowError] = field(default_factory=list)
    parsed: ParsedExport | None = None
    run: ImportRun | None = None

    @property
    def ok(self) -> bool:
        """Written (or, for a dry run, writable) without rejection: no errors, or errors skipped on request."""
        return self.status in (ImportRun.Status.IMPORTED, ImportRun.Status.PREVIEW) and (
            not self.errors or self.summary.get("skip_invalid", False)
        )



def _summary(parsed: ParsedExport | None, counts: dict | None = None, *, skip_invalid: bool) -> dict:
    counts = counts or {}
    created = counts.get("clients_created", 0) + counts.get("spells_created", 0)
    updated = counts.get("clients_updated", 0) + counts.get("spells_updated", 0)
    unchanged = counts.get("clients_unchanged", 0) + counts.get("spells_unchanged", 0)
    return {
        "rows": parsed.rows if parsed else 0,
        "clients": len(parsed.clients) if parsed else 0,
        "spells": parsed.spell_count if parsed else 0,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "rejected": parsed.rejected_count if parsed else 0,
        "skip_invalid": skip_invalid,
        **counts,
    }


@paused_gc()
def import_caseload(
    *,
    data: bytes,
    municipality: Municipality,
    filename: str,
    user: User | None = None,
    source: str = "cli",
    skip_invalid: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate an export and, unless ``dry_run``, write it.

    Atomic by default: a single bad row means nothing is written and the result lists every bad row. With
    ``skip_invalid`` the valid rows are written and the bad ones are in ``result.parsed.rejected``. Re-importing is
    idempotent: clients are keyed by (municipality, client number), spells by (client, original start date);
    only what changed is written, and each change lands in the audit trail with old and new values.
    """
    today = today or timezone.localdate()
    cause_ids = dict(CauseCode.objects.values_list("code", "id"))
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        parsed = parse_export(data, cause_codes=set(cause_ids), today=today, progress=progress)
    except ExportUnreadable as exc:
        run = None
        if not dry_run:
            run = ImportRun.objects.create(
                municipality=municipality, uploaded_by=user, source=source, filename=filename, sha256=sha256,
                status=ImportRun.Status.REJECTED, skip_invalid=skip_invalid,
                summary=_summary(None, skip_invalid=skip_invalid),
                errors=[e.as_dict() for e in exc.errors], finished_at=timezone.now())
        return ImportResult(ImportRun.Status.REJECTED, _summary(None, skip_invalid=skip_invalid), exc.errors,
                            None, run)

    if parsed.errors and not skip_invalid:
        summary = _summary(parsed, skip_invalid=skip_invalid)
        run = None
        if not dry_run:
            run = ImportRun.objects.create(
                municipality=municipality, uploaded_by=user, source=source, filename=filename, sha256=sha256,
                status=ImportRun.Status.REJECTED, skip_invalid=False, summary=summary,
                errors=[e.as_dict() for e in parsed.errors[:1000]], finished_at=timezone.now())
        return ImportResult(ImportRun.Status.REJECTED, summary, parsed.errors, parsed, run)

    with transaction.atomic():
        run = None
        if not dry_run:
            run = ImportRun.objects.create(
                municipality=municipality, uploaded_by=user, source=source, filename=filename, sha256=sha256,
                status=ImportRun.Status.IMPORTED, skip_invalid=skip_invalid)
        counts = _write(parsed, municipality=municipality, cause_ids=cause_ids, run=run, user=user,
                        dry_run=dry_run)
        summary = _summary(parsed, counts, skip_invalid=skip_invalid)
        if run is not None:
            run.summary = summary
            run.errors = [e.as_dict() for e in parsed.errors[:1000]]
            run.finished_at = timezone.now()
            run.save(update_fields=["summary", "errors", "finished_at"])
    status = ImportRun.Status.PREVIEW if dry_run else ImportRun.Status.IMPORTED
    return ImportResult(status, summary, parsed.errors, parsed, run)


def _write(parsed: ParsedExport, *, municipality: Municipality, cause_ids: dict[int, int], run: ImportRun | None,
           user: User | None, dry_run: bool) -> dict:
    """Compare the parsed export with the register and write the differences set-wise.

    The register is streamed, not loaded: spells first (compared on the fly; what is kept is only which file spells
    exist already and the running spells the file does not mention), then clients (compared on the fly; kept is
    only number → id). A re-import of a national-scale file thus holds the file, not also the register, in memory.
    """
    now = timezone.now()
    run_id = run.pk if run else None
    clients_in_file = parsed.clients

    # 1. Spells in the register.
    known_spells: set[int] = set()  # id() of the file's SpellData objects that the register already has
    open_elsewhere: dict[int, date] = {}  # client id → latest running spell the file does not mention
    # For the draaideur and aftercare: per client the latest end of an ended spell (after this import), and the
    # spells this import ends.
    last_end: dict[int, date] = {}
    ended_now: dict[int, date] = {}
    spell_updates, spell_changes = [], []
    spells_unchanged = 0
    for row in BenefitSpell.objects.filter(municipality=municipality).values_list(
            "id", "client_id", "client__client_number", "original_start", *SPELL_FIELDS).iterator(chunk_size=20000):
        spell_id, client_id, number, start = row[:4]
        data = clients_in_file.get(number)
        spell = data.spells.get(start) if data is not None else None
        end = row[4] if spell is None else spell.end_date
        if end is not None and end > last_end.get(client_id, date.min):
            last_end[client_id] = end
        if spell is None:
            if row[4] is None and start > open_elsewhere.get(client_id, date.min):
                open_elsewhere[client_id] = start
            continue
        if row[4] is None and end is not None:
            ended_now[client_id] = max(end, ended_now.get(client_id, end))
        known_spells.add(id(spell))
        old_values = dict(zip(SPELL_FIELDS, row[4:]))
        # An export may hold only recent periods of a long spell: never forget periods the register knows.
        new_values = {
            "end_date": spell.end_date,
            "first_period_start": min(spell.first_period_start, old_values["first_period_start"]),
            "last_period_start": max(spell.last_period_start, old_values["last_period_start"]),
            "period_count": max(spell.period_count, old_values["period_count"]),
            "group_code": spell.group_code, "household": spell.household,
            "cause_id": cause_ids.get(spell.cause_code) if spell.cause_code is not None else None,
            "end_reason": spell.end_reason,
        }
        if new_values == old_values:
            spells_unchanged += 1
            continue
        spell_updates.append((*new_values.values(), run_id, now, spell_id))
        spell_changes.append((spell_id, f"{number} {start.isoformat()}", _diff(old_values, new_values)))

    def running_spell(data, client_id: int | None) -> date | None:
        # The running spell over what the register knows and what the file says, the file winning.
        starts = [start for start, spell in data.spells.items() if spell.end_date is None]
        if client_id in open_elsewhere:
            starts.append(open_elsewhere[client_id])
        return max(starts, default=None)

    # 2. Clients in the register.
    ids: dict[str, int] = {}
    client_updates, client_changes = [], []
    clients_unchanged = 0
    for row in Client.objects.filter(municipality=municipality).values_list(
            "id", "client_number", *CLIENT_FIELDS).iterator(chunk_size=20000):
        client_id, number = row[0], row[1]
        data = clients_in_file.get(number)
        if data is None:
            continue
        ids[number] = client_id
        old_values = dict(zip(CLIENT_FIELDS, row[2:]))
        given, family = ((data.given_names, data.family_name) if parsed.has_names
                         else (old_values["given_names"], old_values["family_name"]))
        new_values = {
            "birth_year": data.birth_year, "sex": data.sex, "household": data.household,
            "dossier_number": data.dossier_number, "bsn": data.bsn if parsed.has_bsn else old_values["bsn"],
            "given_names": given, "family_name": family, "active_spell_start": running_spell(data, client_id),
            "search_name": search_name_for(family, given),
        }
        if new_values["active_spell_start"] is not None:
            ended_now.pop(client_id, None)  # another spell still runs: no outflow
        if new_values == old_values:
            clients_unchanged += 1
            continue
        client_updates.append((*new_values.values(), run_id, now, client_id))
        client_changes.append((client_id, str(number), _diff(old_values, new_values, hidden={"search_name"})))

    returns = _returns_to_benefit(clients_in_file, ids, last_end, known_spells, run_id)

    # 3. New clients.
    new_clients = [
        (municipality.pk, number, data.bsn, data.given_names, data.family_name, data.birth_year, data.sex,
         data.household, data.dossier_number, running_spell(data, None),
         search_name_for(data.family_name, data.given_names), run_id, now, now)
        for number, data in clients_in_file.items() if number not in ids
    ]
    counts = {"clients_created": len(new_clients), "clients_updated": len(client_updates),
              "clients_unchanged": clients_unchanged}
    if not dry_run:
        highest_id_before = Client.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with secondary_indexes_deferred(Client, when=len(new_clients) > max(Client.objects.count(), 10000)):
            insert_rows(Client, ["municipality", "client_number", "bsn", "given_names", "family_name",
                                 "birth_year", "sex", "household", "dossier_number", "active_spell_start",
                                 "search_name", "last_import", "created_at", "updated_at"], new_clients)
        update_rows(Client, [*CLIENT_FIELDS, "last_import", "updated_at"], client_updates)
        if new_clients:
            ids.update(Client.objects.filter(municipality=municipality, id__gt=highest_id_before)
                       .values_list("client_number", "id").iterator(chunk_size=20000))
    del new_clients

    # 4. New spells.
    new_spells = [
        (ids.get(number), municipality.pk, start, spell.end_date, spell.first_period_start, spell.last_period_start,
         spell.period_count, spell.group_code, spell.household,
         cause_ids.get(spell.cause_code) if spell.cause_code is not None else None, spell.end_reason, run_id, now,
         now)
        for number, data in clients_in_file.items()
        for start, spell in data.spells.items() if id(spell) not in known_spells
    ]
    counts.update({"spells_created": len(new_spells), "spells_updated": len(spell_updates),
                   "spells_unchanged": spells_unchanged})
    if dry_run:
        return counts

    with secondary_indexes_deferred(BenefitSpell,
                                    when=len(new_spells) > max(BenefitSpell.objects.count(), 10000)):
        insert_rows(BenefitSpell, ["client", "municipality", "original_start", "end_date", "first_period_start",
                                   "last_period_start", "period_count", "group_code", "household", "cause",
                                   "end_reason", "last_import", "created_at", "updated_at"], new_spells)
    update_rows(BenefitSpell, [*SPELL_FIELDS, "last_import", "updated_at"], spell_updates)
    ReturnToBenefit.objects.bulk_create(returns, batch_size=1000, ignore_conflicts=True)
    counts["returns_to_benefit"] = len(returns)
    if ended_now:
        benefit_ended.send(sender=ImportRun, outflow=list(ended_now.items()))
    _log_changes(Client, client_changes, user=user, run_id=run_id, now=now)
    _log_changes(BenefitSpell, spell_changes, user=user, run_id=run_id, now=now)
    return counts


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (1 if later.day < earlier.day else 0)


def _returns_to_benefit(clients_in_file, ids: dict[str, int], last_end: dict[int, date], known_spells: set[int],
                        run_id) -> list[ReturnToBenefit]:
    """The draaideur: a spell new to the register, of a client the register knew, starting after that client's last
    spell ended, within the window. Only clients with an ended spell are looked at, so this costs nothing per row
    of the file."""
    window = settings.KANSRIJK_DRAAIDEUR_MONTHS
    today = timezone.localdate()
    returns = []
    for number, client_id in ids.items():
        previous_end = last_end.get(client_id)
        if previous_end is None:
            continue
        # In order of start: a file may bring several new spells, and each counts from the end of the one before.
        for start, spell in sorted(clients_in_file[number].spells.items(), key=lambda item: item[0]):
            if id(spell) in known_spells or start <= previous_end:
                continue
            months = _months_between(previous_end, start)
            if months <= window:
                returns.append(ReturnToBenefit(client_id=client_id, new_spell_start=start, previous_end=previous_end,
                                               months_between=months, detected_on=today, detected_by_import_id=run_id))
            if spell.end_date is not None and spell.end_date > previous_end:
                previous_end = spell.end_date
    return returns


def _diff(old: dict, new: dict, hidden: frozenset | set = frozenset()) -> dict:
    return {k: [_json(old[k]), _json(new[k])] for k in new if old[k] != new[k] and k not in hidden}


def _json(value):
    return None if value is None else str(value)


def _log_changes(model, changes: list[tuple[int, str, dict]], *, user, run_id, now) -> None:
    """Audit-trail entries with old and new values for the records an import changed, in one batch.

    Creations are not logged one by one: each created record points to its ImportRun (``last_import``) and the
    run records who imported which file, so the trail stays complete without doubling the import's writes.
    """
    if not changes:
        return
    content_type = ContentType.objects.get_for_model(model)
    # insert_rows (COPY / one executemany) rather than bulk_create, which SQLite splits into batches of ~66 rows.
    extra = json.dumps({"import_run": run_id})
    actor_id = user.pk if user is not None else None
    insert_rows(LogEntry, ["content_type", "object_pk", "object_id", "object_repr", "action", "changes",
                           "changes_text", "actor", "timestamp", "additional_data"],
                ((content_type.pk, str(pk), pk, label, LogEntry.Action.UPDATE, json.dumps(diff), "", actor_id, now,
                  extra) for pk, label, diff in changes))


def store_upload(data: bytes, *, filename: str) -> Path:
    """Keep an uploaded export until the administrator confirms or cancels the import."""
    folder = Path(settings.KANSRIJK_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()}{Path(filename).suffix.lower()[:6]}"
    path.write_bytes(data)
    return path


def assign_client(*, client: Client, team: Team | None, client_manager: User | None, by: User) -> Client:
    """Assign a client to a team and client manager (team lead's job). Logged in the audit trail via the model."""
    if not by.has_role(roles.ASSIGNS_CLIENTS):
        raise PermissionDenied
    if team is not None and team.municipality_id != client.municipality_id:
        raise ValidationError({"team": "Het team hoort bij een andere gemeente dan de cliënt."})
    if client_manager is not None:
        if client_manager.role != roles.Role.KLANTMANAGER:
            raise ValidationError({"client_manager": "Alleen een klantmanager kan een caseload hebben."})
        if team is None or not client_manager.teams.filter(pk=team.pk).exists():
            raise ValidationError({"client_manager": "De klantmanager hoort niet bij het gekozen team."})
    with transaction.atomic():
        client.team = team
        client.client_manager = client_manager
        client.save(update_fields=["team", "client_manager", "updated_at"])
    return client
