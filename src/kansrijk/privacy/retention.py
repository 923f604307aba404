"""The retention job: per active ``RetentionRule``, find what has expired on ``today`` and anonymise or delete it.

Set-based throughout, for 400,000 clients: the expired records are found with one query per rule and changed with
one UPDATE or DELETE per record type per batch of ``batch_size`` ids, never one query per record. Each rule runs in its
own transaction, so a failure leaves no rule half-applied. ``today`` is injected (``--today``) so tests and a catch-up
run can set the clock.

A record is expired when its start date (the end of the client's last benefit, or the record's own date) plus
``period_months`` months (``add_months``, the day clamped to the month's end) is ``today`` or earlier. A client
with a running benefit never expires.

Anonymising the client file replaces name, BSN, client and dossier number and every free text by fixed markers, and
deletes the special categories, but keeps birth year, sex, household, team, benefit spells, ladder steps, trajectory
codes and dates: the monitoring still counts anonymised clients. The access log and the answered access requests
keep the old client number until their own period ends, but no longer point at the anonymised file. The clients'
change history keeps who changed what when, without the old and new values. django-auditlog is switched off while
the job writes, so deleting a row does not copy its values into a new log entry."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from kansrijk.audit.models import AccessLog
from kansrijk.caseload.models import BenefitSpell, Client, ClientSpecialCategories
from kansrijk.core.dates import add_months
from kansrijk.diagnosis.models import Intake, IntakeSpecialCategories, LadderMeasurement, ZrmMeasurement
from kansrijk.inview.models import Contact
from kansrijk.trajectories.models import Plan

from .models import AccessRequest, RecordType, RetentionAction, RetentionRule, RetentionRun, StartsFrom
from .registry import ANONYMOUS_NUMBER_PREFIX, BY_MODEL, CLIENT_ANONYMISE, MARKER, SPECS

BATCH_SIZE = 2000


def benefit_end_of(client_id: int) -> date | None:
    """The end of the client's last benefit, or None while one runs (or none is known)."""
    ends = list(BenefitSpell.objects.filter(client_id=client_id).values_list("end_date", flat=True))
    if not ends or any(end is None for end in ends):
        return None
    return max(ends)


def _cutoff(rule: RetentionRule, today: date) -> date:
    """The latest start date that has expired on ``today``: exactly the starts with ``add_months(start, period) <=
    today``, the date the client's file states. On a month's last day that includes the whole month ``period``
    months back (31 January + 1 month is 28 February, so 28 February takes 29-31 January along)."""
    cutoff = add_months(today, -rule.period_months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def _after(day: date) -> datetime:
    """The first moment after ``day``: a logged moment expires with the whole of the cutoff day, like a date."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def expired_clients(cutoff: date) -> QuerySet[Client]:
    """Clients whose last benefit ended on or before ``cutoff`` and who have none running."""
    running = BenefitSpell.objects.filter(client_id=OuterRef("pk"), end_date__isnull=True)
    return (Client.objects.annotate(last_end=Max("spells__end_date"))
            .filter(last_end__lte=cutoff).exclude(Exists(running)))


def _batches(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _log_entries(model, queryset) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                   object_id__in=queryset.values("pk"))


def _client_history(ids: list[int]) -> list[QuerySet]:
    """The change-history entries of these clients and of every record in their files."""
    entries = [_log_entries(Client, Client.objects.filter(pk__in=ids))]
    for spec in SPECS:
        entries.append(_log_entries(spec.model, spec.model.objects.filter(**{f"{spec.path}__in": ids})))
    return entries


def _strip_history(entries: QuerySet) -> int:
    return entries.update(changes=None, changes_text="", serialized_data=None, object_repr=MARKER)


# --- Per record type ------------------------------------------------------------------------------------------------


def _client_file(rule, cutoff, dry_run, batch_size) -> int:
    candidates = expired_clients(cutoff)
    if rule.action == RetentionAction.ANONYMISE:
        candidates = candidates.exclude(client_number__startswith=ANONYMOUS_NUMBER_PREFIX)
    if dry_run:
        return candidates.count()
    ids = list(candidates.values_list("pk", flat=True))
    for batch in _batches(ids, batch_size):
        if rule.action == RetentionAction.ANONYMISE:
            _anonymise_clients(batch)
        else:
            _delete_clients(batch)
    return len(ids)


def _anonymise_clients(ids: list[int]) -> None:
    for entries in _client_history(ids):
        _strip_history(entries)
    for spec in SPECS:
        rows = spec.model.objects.filter(**{f"{spec.path}__in": ids})
        if spec.delete_on_anonymise:
            rows.delete()
        elif spec.anonymise:
            rows.update(**spec.anonymise)
    # The logs keep the client number for their own period but let go of the file: a link from a log row holding the
    # old number to the anonymised birth year, spells and ladder steps would make the file identifiable again.
    AccessLog.objects.filter(client_id__in=ids).update(client=None)
    AccessRequest.objects.filter(client_id__in=ids).update(client=None)
    Client.objects.filter(pk__in=ids).update(**CLIENT_ANONYMISE)


def _delete_clients(ids: list[int]) -> None:
    for entries in _client_history(ids):
        entries.delete()
    # Versions and corrections point at each other with PROTECT; undo that inside the file so it can go at once.
    Plan.objects.filter(client_id__in=ids).update(previous=None)
    for model in (LadderMeasurement, ZrmMeasurement, Intake):
        model.objects.filter(client_id__in=ids).update(corrects=None)
    # The access log and the answered access requests keep their rows (client set to NULL, client number kept) until
    # the access log's own period ends: they record who looked, which the client may still ask about.
    Client.objects.filter(pk__in=ids).delete()


def _special_categories(rule, cutoff, dry_run, batch_size) -> int:
    client_ids = expired_clients(cutoff).values("pk")
    querysets = [ClientSpecialCategories.objects.filter(client_id__in=client_ids),
                 IntakeSpecialCategories.objects.filter(intake__client_id__in=client_ids)]
    if dry_run:
        return sum(qs.count() for qs in querysets)
    total = 0
    for qs in querysets:
        total += _in_batches(qs, batch_size, delete=True)
    return total


def _in_batches(queryset: QuerySet, batch_size: int, *, delete: bool = False, values: dict | None = None) -> int:
    """Delete or update ``queryset`` in batches of ids, re-reading the next batch each time (the changed rows leave the
    queryset, which must therefore exclude what is already done)."""
    model = queryset.model
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        rows = model.objects.filter(pk__in=ids)
        if delete:
            if model is not LogEntry:
                # A deleted record's change history would still hold its values.
                _log_entries_for(model, ids).delete()
            rows.delete()
        else:
            rows.update(**values)
        total += len(ids)


def _log_entries_for(model, ids: list[int]) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)


def _contacts(rule, cutoff, dry_run, batch_size) -> int:
    if rule.starts_from == StartsFrom.RECORD_DATE:
        contacts = Contact.objects.filter(contacted_on__lte=cutoff)
    else:
        contacts = Contact.objects.filter(client_id__in=expired_clients(cutoff).values("pk"))
    if rule.action == RetentionAction.ANONYMISE:
        contacts = contacts.exclude(summary=MARKER)
    if dry_run:
        return contacts.count()
    if rule.action == RetentionAction.ANONYMISE:
        return _in_batches(contacts, batch_size, values=BY_MODEL[Contact].anonymise)
    return _in_batches(contacts, batch_size, delete=True)


def _access_log(rule, cutoff, dry_run, batch_size) -> int:
    """The access log and the answered access requests: both are accountability records that keep the client number
    after the file is gone, until this period ends (``registry``, ``_delete_clients``)."""
    querysets = [AccessLog.objects.filter(timestamp__lt=_after(cutoff)),
                 AccessRequest.objects.filter(produced_at__lt=_after(cutoff))]
    if dry_run:
        return sum(rows.count() for rows in querysets)
    return sum(_in_batches(rows, batch_size, delete=True) for rows in querysets)


def _change_history(rule, cutoff, dry_run, batch_size) -> int:
    rows = LogEntry.objects.filter(timestamp__lt=_after(cutoff))
    if rule.action == RetentionAction.ANONYMISE:
        rows = rows.exclude(object_repr=MARKER)
        if dry_run:
            return rows.count()
        return _in_batches(rows, batch_size, values={"changes": None, "changes_text": "", "serialized_data": None,
                                                     "object_repr": MARKER})
    return rows.count() if dry_run else _in_batches(rows, batch_size, delete=True)


HANDLERS = {
    RecordType.CLIENT_FILE: _client_file,
    RecordType.SPECIAL_CATEGORIES: _special_categories,
    RecordType.CONTACTS: _contacts,
    RecordType.ACCESS_LOG: _access_log,
    RecordType.CHANGE_HISTORY: _change_history,
}


def apply_retention(*, today: date | None = None, dry_run: bool = False, by=None,
                    batch_size: int = BATCH_SIZE) -> RetentionRun:
    """Apply every active rule as of ``today``; a dry run counts without changing anything. Either way a
    ``RetentionRun`` with the counts per record type is stored (counts only, no client)."""
    today = today or timezone.localdate()
    # The run is stored first and each rule's count is saved in that rule's own transaction: if a later rule fails,
    # what the earlier ones committed is still on record, and ``finished_at`` stays empty.
    run = RetentionRun.objects.create(today=today, dry_run=dry_run, started_by=by, counts={})
    # The file goes before its parts: a client anonymised or deleted today is not also counted per part.
    order = list(HANDLERS)
    rules = sorted(RetentionRule.objects.filter(active=True), key=lambda rule: order.index(rule.record_type))
    with disable_auditlog():
        for rule in rules:
            cutoff = _cutoff(rule, today)
            with transaction.atomic():
                run.counts[rule.record_type] = HANDLERS[rule.record_type](rule, cutoff, dry_run, batch_size)
                run.save(update_fields=["counts"])
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run
