"""The retention job with an injected clock: records just before and just after each boundary, exactly the expired
ones changed, a dry run that changes nothing, a second run that finds nothing, and monitoring that still counts the
anonymised clients."""

from datetime import date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kansrijk.audit.models import AccessLog
from kansrijk.caseload.models import BenefitSpell, Client, ClientSpecialCategories
from kansrijk.caseload.tests.factories import ClientFactory
from kansrijk.diagnosis.models import Intake, IntakeSpecialCategories
from kansrijk.inview.models import Contact
from kansrijk.monitoring.selectors import spell_frame
from kansrijk.privacy import access_request, retention
from kansrijk.privacy.models import AccessRequest, RetentionRule, RetentionRun
from kansrijk.privacy.registry import MARKER, SPECS

from .fill import SECRET_TEXTS, fill, shared

TODAY = date(2030, 6, 15)


def rule(record_type, months, starts_from, action):
    RetentionRule.objects.filter(record_type=record_type).update(period_months=months, starts_from=starts_from,
                                                                 action=action, active=True)


def ended_client(world, number, end, **extra):
    client = ClientFactory(municipality=world.muni, team=world.team, client_manager=world.users["klantmanager"],
                           client_number=number, bsn=f"9{number}", **extra)
    BenefitSpell.objects.create(client=client, municipality=world.muni, original_start=date(2020, 1, 1),
                                first_period_start=date(2020, 1, 1), last_period_start=date(2020, 1, 1),
                                end_date=end)
    return client


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@pytest.fixture
def scene(world):
    """Cutoffs on TODAY (2030-06-15): client file 12 months → benefit ended on or before 2029-06-15; special
    categories 6 months → 2029-12-15; contacts 24 months → contacted on or before 2028-06-15; access log and change
    history 12 months → logged on or before 2029-06-15."""
    rule("client_file", 12, "benefit_end", "anonymise")
    rule("special_categories", 6, "benefit_end", "delete")
    rule("contacts", 24, "record_date", "anonymise")
    rule("access_log", 12, "record_date", "delete")
    rule("change_history", 12, "record_date", "anonymise")
    common = shared(world)
    expired = ended_client(world, "7001", date(2029, 6, 15))  # ended on the boundary: expired
    kept = ended_client(world, "7002", date(2029, 6, 16), given_names="Bram")  # a day later: file kept …
    late = ended_client(world, "7003", date(2029, 12, 16))  # … special categories kept too
    for client in (expired, kept, late):
        # Records dated after the contacts' cutoff, so only the contacts below test that boundary.
        fill(world, client, common, on=date(2029, 1, 1))
        ClientSpecialCategories.objects.update_or_create(client=client, defaults={"health": "Astma"})
    # The world's own client has a running benefit: the file never expires; only its old contact does.
    old_contact = Contact.objects.create(client=world.own, contacted_on=date(2028, 6, 15), channel="telefoon",
                                         author=world.users["klantmanager"], summary="Oud-contactverslag")
    new_contact = Contact.objects.create(client=world.own, contacted_on=date(2028, 6, 16), channel="telefoon",
                                         author=world.users["klantmanager"], summary="Nieuwer-contactverslag")
    AccessLog.objects.filter(client=world.own).delete()
    AccessLog.objects.bulk_create([
        AccessLog(user=world.users["teamleider"], client=world.own, client_number="5001",
                  municipality_id=world.muni.pk, view="oud"),
        AccessLog(user=world.users["teamleider"], client=world.own, client_number="5001",
                  municipality_id=world.muni.pk, view="nieuw"),
    ])
    AccessLog.objects.filter(view="oud").update(timestamp=at(date(2029, 6, 15)))
    AccessLog.objects.filter(view="nieuw").update(timestamp=at(date(2029, 6, 16)))
    # The access records fill() wrote (recent) stay; so do the change-history entries of today.
    old_entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Client),
                                        object_id=world.own.pk).first()
    if old_entry is None:
        old_entry = LogEntry.objects.log_create(world.own, action=LogEntry.Action.UPDATE,
                                                changes={"family_name": ["Jansen", "Jansen"]}, force_log=True)
    LogEntry.objects.filter(pk=old_entry.pk).update(timestamp=at(date(2029, 6, 15)),
                                                   changes={"family_name": ["Oud", "Jansen"]})
    new_entry = LogEntry.objects.log_create(world.own, action=LogEntry.Action.UPDATE,
                                            changes={"family_name": ["Nieuw", "Jansen"]}, force_log=True)
    LogEntry.objects.filter(pk=new_entry.pk).update(timestamp=at(date(2029, 6, 16)))
    return {"new_entry": new_entry, "expired": expired, "kept": kept, "late": late, "old_contact": old_contact, "new_contact": new_contact,
            "old_entry": old_entry, "common": common}


def snapshot():
    """Everything the job could touch, as plain values."""
    return (
        list(Client.objects.order_by("pk").values()),
        list(ClientSpecialCategories.objects.order_by("pk").values()),
        list(IntakeSpecialCategories.objects.order_by("pk").values()),
        list(Contact.objects.order_by("pk").values()),
        list(Intake.objects.order_by("pk").values()),
        list(AccessLog.objects.order_by("pk").values()),
        list(LogEntry.objects.order_by("pk").values("pk", "changes", "object_repr")),
    )


def test_exactly_the_expired_records_change(world, scene):
    recent = AccessLog.objects.create(user=world.users["teamleider"], client=scene["expired"], client_number="7001",
                                      municipality_id=world.muni.pk, view="recent")
    AccessLog.objects.filter(pk=recent.pk).update(timestamp=at(date(2030, 1, 1)))
    run = retention.apply_retention(today=TODAY)
    expired, kept, late = (Client.objects.get(pk=scene[k].pk) for k in ("expired", "kept", "late"))

    # The expired client's file: identifying data and free texts gone, aggregates kept.
    assert expired.client_number == f"ANON-{expired.pk}"
    assert (expired.given_names, expired.family_name, expired.bsn, expired.dossier_number) == ("", "", "", "")
    assert expired.client_manager_id is None
    assert (expired.birth_year, expired.sex, expired.household, expired.team_id) == (1980, "V", "Alleenstaande",
                                                                                      world.team.pk)
    assert BenefitSpell.objects.filter(client=expired, end_date=date(2029, 6, 15)).exists()
    assert not ClientSpecialCategories.objects.filter(client=expired).exists()
    assert not IntakeSpecialCategories.objects.filter(intake__client=expired).exists()
    html = str(access_request.client_file(expired).sections)
    for text in (*SECRET_TEXTS, "7001", "Astma"):
        assert text not in html, text
    assert MARKER in html
    # The access log is an accountability record with a period of its own: it still says whom it concerned, but no
    # longer points at the anonymised file (which the old number would identify again).
    assert AccessLog.objects.filter(pk=recent.pk, client=None, client_number="7001").exists()
    assert not AccessLog.objects.filter(client=expired).exists()
    histories = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Client), object_id=expired.pk)
    assert all(entry.changes is None for entry in histories)

    # A day later: the file is untouched, but its special categories have passed their own, shorter period.
    assert (kept.client_number, kept.given_names, kept.bsn) == ("7002", "Bram", "97002")
    assert Contact.objects.filter(client=kept, summary="Gesprek-over-schulden").exists()
    assert not ClientSpecialCategories.objects.filter(client=kept).exists()
    assert not IntakeSpecialCategories.objects.filter(intake__client=kept).exists()
    assert ClientSpecialCategories.objects.filter(client=late, health="Astma").exists()
    assert IntakeSpecialCategories.objects.filter(intake__client=late).exists()

    # Running benefit: the file stays; only the contact on the boundary is anonymised.
    own = Client.objects.get(pk=world.own.pk)
    assert (own.client_number, own.family_name) == ("5001", "Jansen")
    assert Contact.objects.get(pk=scene["old_contact"].pk).summary == MARKER
    assert Contact.objects.get(pk=scene["new_contact"].pk).summary == "Nieuwer-contactverslag"
    assert list(AccessLog.objects.filter(client=world.own).values_list("view", flat=True)) == ["nieuw"]
    old_entry = LogEntry.objects.get(pk=scene["old_entry"].pk)
    assert (old_entry.changes, old_entry.object_repr) == (None, MARKER)
    assert LogEntry.objects.get(pk=scene["new_entry"].pk).changes == {"family_name": ["Nieuw", "Jansen"]}

    # Special categories: the late-enough client's two (its file's and its intake's); the expired client's went
    # with its file. Access log: the old row and the rows fill() wrote in the real present, long before 2030, plus
    # the three answered access requests fill() wrote then.
    assert {k: run.counts[k] for k in ("client_file", "special_categories", "contacts", "access_log")} == {
        "client_file": 1, "special_categories": 2, "contacts": 1, "access_log": 7}
    assert run.counts["change_history"] >= 1
    assert not run.dry_run and run.today == TODAY


def test_dry_run_changes_nothing_and_counts_what_the_run_will_do(world, scene):
    before = snapshot()
    dry = retention.apply_retention(today=TODAY, dry_run=True)
    assert snapshot() == before
    assert dry.dry_run
    real = retention.apply_retention(today=TODAY)
    # Each rule is counted as if it ran alone: what the client-file rule takes along (its special categories, its
    # change history) is counted again under its own type, so a dry run is an upper bound, exact for the file.
    assert dry.counts["client_file"] == real.counts["client_file"]
    assert dry.counts["access_log"] == real.counts["access_log"]
    assert all(dry.counts[key] >= real.counts[key] for key in real.counts)


def test_a_second_run_is_idempotent(world, scene):
    retention.apply_retention(today=TODAY)
    after_first = snapshot()
    second = retention.apply_retention(today=TODAY)
    assert snapshot() == after_first
    assert set(second.counts.values()) == {0}


def test_the_summary_holds_counts_only(world, scene):
    run = retention.apply_retention(today=TODAY)
    text = str(run.counts)
    for identifier in ("7001", "Voornaam", "97001", str(scene["expired"].pk)):
        assert identifier not in text.replace(": 1", "")
    assert all(isinstance(value, int) for value in run.counts.values())


def test_monitoring_still_counts_anonymised_clients(world, scene):
    before = spell_frame(world.muni.pk).sort_values(list(spell_frame(world.muni.pk).columns)).reset_index(drop=True)
    retention.apply_retention(today=TODAY)
    after = spell_frame(world.muni.pk).sort_values(list(before.columns)).reset_index(drop=True)
    assert before.equals(after)
    assert scene["expired"].pk in set(after["client_id"])


def test_inactive_rules_do_nothing(world, scene):
    RetentionRule.objects.update(active=False)
    before = snapshot()
    run = retention.apply_retention(today=TODAY)
    assert run.counts == {} and snapshot() == before


def test_query_count_does_not_grow_with_the_number_of_expired_clients(world):
    rule("client_file", 12, "benefit_end", "anonymise")
    common = shared(world)

    def queries_for(numbers):
        for number in numbers:
            fill(world, ended_client(world, number, date(2028, 1, 1)), common)
        with CaptureQueriesContext(connection) as captured:
            run = retention.apply_retention(today=TODAY)
        assert run.counts["client_file"] == len(numbers)
        return len(captured)

    assert queries_for(["8001", "8002"]) == queries_for(["8101", "8102", "8103", "8104", "8105"])


def test_delete_removes_the_whole_file_and_keeps_the_access_log_anonymous(world):
    rule("client_file", 12, "benefit_end", "delete")
    common = shared(world)
    gone = ended_client(world, "7101", date(2029, 1, 1))
    fill(world, gone, common)
    # A second plan version and a correction point at the first with PROTECT; the job deletes them anyway.
    fill(world, gone, common, on=date(2029, 2, 1))
    first, second = Intake.objects.filter(client=gone).order_by("pk")
    Intake.objects.filter(pk=second.pk).update(corrects=first)
    stays = ended_client(world, "7102", date(2029, 6, 16))
    run = retention.apply_retention(today=TODAY)
    assert run.counts == {"client_file": 1}
    assert not Client.objects.filter(pk=gone.pk).exists()
    for spec in SPECS:
        # Every record of the file went with it; the two logs keep their rows, without the client (SET_NULL).
        assert not spec.model.objects.filter(**{spec.path: gone.pk}).exists(), spec.model
    assert AccessRequest.objects.filter(client=None).exists()
    logs = AccessLog.objects.filter(client_number="7101")
    assert logs.exists() and not logs.exclude(client=None).exists()
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Client),
                                       object_id=gone.pk).exists()
    assert Client.objects.filter(pk=stays.pk).exists()


def test_rule_combinations_are_checked():
    with pytest.raises(ValidationError) as error:
        RetentionRule(record_type="access_log", period_months=12, starts_from="benefit_end",
                      action="anonymise").full_clean(validate_unique=False)
    assert set(error.value.message_dict) == {"starts_from", "action"}


def test_add_months_clamps_to_the_month():
    assert retention.add_months(date(2030, 3, 31), -1) == date(2030, 2, 28)
    assert retention.add_months(date(2030, 1, 15), -13) == date(2028, 12, 15)


def test_command_with_clock_and_dry_run(world, scene, capsys):
    call_command("apply_retention", "--dry-run", "--today", "2030-06-15")
    out = capsys.readouterr().out
    assert "Cliëntdossier" in out and "1 would change" in out
    assert RetentionRun.objects.get().dry_run
    assert Client.objects.filter(client_number="7001").exists()
    call_command("apply_retention", "--today", "2030-06-15")
    assert not Client.objects.filter(client_number="7001").exists()
    with pytest.raises(CommandError):
        call_command("apply_retention", "--today", "15-06-2030")


def test_the_administrator_sees_runs_and_starts_a_dry_run(world, login):
    client = login(world.users["beheerder"])
    response = client.post(reverse("privacy:retention-dry-run"))
    assert response.status_code == 302
    run = RetentionRun.objects.get()
    assert run.dry_run and run.started_by == world.users["beheerder"]
    page = client.get(reverse("privacy:retention")).content.decode()
    assert "Proefdraai" in page and "Cliëntdossier" in page


def test_the_defaults_exist_and_are_off_until_the_municipality_sets_them(db):
    rules = RetentionRule.objects.all()
    assert {r.record_type for r in rules} == {"client_file", "special_categories", "contacts", "access_log",
                                              "change_history"}
    assert not any(r.active for r in rules)
    for r in rules:
        r.full_clean()


def test_old_intake_special_categories_go_with_expiry_even_without_client_level_ones(world):
    rule("special_categories", 6, "benefit_end", "delete")
    client = ended_client(world, "7201", date(2029, 1, 1))
    intake = Intake.objects.create(client=client, measured_on=date(2028, 1, 1), measured_by=world.users["klantmanager"])
    IntakeSpecialCategories.objects.create(intake=intake, mental_health="x")
    assert retention.apply_retention(today=TODAY).counts == {"special_categories": 1}
    assert not IntakeSpecialCategories.objects.exists()
    assert Intake.objects.filter(pk=intake.pk).exists()


def test_a_client_without_any_spell_never_expires(world):
    rule("client_file", 1, "benefit_end", "anonymise")
    lonely = ClientFactory(municipality=world.muni, client_number="7301")
    retention.apply_retention(today=TODAY + timedelta(days=10000))
    assert Client.objects.get(pk=lonely.pk).client_number == "7301"


def test_anonymising_clears_the_free_text_reason_a_placement_ended(world):
    """The reason a placement ended is typed by the client manager (it may well be a health reason); the file's
    other free texts go on anonymisation, so must this one."""
    from kansrijk.matching.models import Employer, Placement

    rule("client_file", 12, "benefit_end", "anonymise")
    client = ended_client(world, "7401", date(2029, 1, 1))
    employer = Employer.objects.create(municipality=world.muni, name="Kwekerij Het Blad")
    placement = Placement.objects.create(client=client, employer=employer, kind="proefplaatsing",
                                         started_on=date(2028, 1, 1), ended_on=date(2028, 6, 1),
                                         end_reason="Uitgevallen-met-burn-out", created_by=world.users["klantmanager"])
    retention.apply_retention(today=TODAY)
    assert "burn-out" not in Placement.objects.get(pk=placement.pk).end_reason
    assert "burn-out" not in str(access_request.client_file(Client.objects.get(pk=client.pk)).sections)


def test_a_period_from_a_month_end_expires_on_the_date_the_client_was_told(world):
    """31 January + 1 month is 28 February (the month's last day), which is the date the client's file states; the
    job must anonymise on that day, not only on 1 March."""
    rule("client_file", 1, "benefit_end", "anonymise")
    client = ended_client(world, "7501", date(2030, 1, 31))
    told = dict(access_request.client_file(client).retention)["Cliëntdossier (persoonsgegevens en alle vastleggingen)"]
    assert "28 februari 2030" in told
    assert retention.apply_retention(today=date(2030, 2, 27)).counts == {"client_file": 0}
    assert retention.apply_retention(today=date(2030, 2, 28)).counts == {"client_file": 1}
    assert Client.objects.get(pk=client.pk).client_number.startswith("ANON-")


@pytest.mark.parametrize("start, months, last_kept, first_expired", [
    (date(2030, 1, 31), 1, date(2030, 2, 27), date(2030, 2, 28)),
    (date(2028, 2, 29), 12, date(2029, 2, 27), date(2029, 2, 28)),
    (date(2030, 3, 31), 1, date(2030, 4, 29), date(2030, 4, 30)),
    (date(2030, 1, 15), 1, date(2030, 2, 14), date(2030, 2, 15)),
    (date(2030, 2, 28), 1, date(2030, 3, 27), date(2030, 3, 28)),
])
def test_the_cutoff_matches_start_plus_period(start, months, last_kept, first_expired):
    def expired(today):
        return start <= retention._cutoff(RetentionRule(period_months=months), today)

    assert retention.add_months(start, months) == first_expired
    assert not expired(last_kept) and expired(first_expired)
    assert expired(first_expired + timedelta(days=1))


def test_a_failing_rule_leaves_the_rules_before_it_recorded(world, monkeypatch):
    """Each rule commits on its own, so when a later rule fails the earlier ones have already anonymised or deleted:
    the run must still say so (and that it did not finish), or there is no record of what happened."""
    rule("client_file", 12, "benefit_end", "anonymise")
    rule("contacts", 24, "record_date", "anonymise")
    client = ended_client(world, "7601", date(2029, 1, 1))

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setitem(retention.HANDLERS, "contacts", broken)
    with pytest.raises(RuntimeError):
        retention.apply_retention(today=TODAY)
    assert Client.objects.get(pk=client.pk).client_number.startswith("ANON-")
    run = RetentionRun.objects.get()
    assert run.counts == {"client_file": 1} and run.finished_at is None and not run.dry_run


def test_answered_access_requests_go_with_the_access_logs_period(world):
    """An answered access request keeps the client number after the file is anonymised or deleted, as an
    accountability record "until the access log's own period ends" (registry, _delete_clients): it must then go, or
    the client number is kept forever."""
    rule("access_log", 12, "record_date", "delete")
    old, recent = (AccessRequest.objects.create(client=world.own, client_number="5001", reference=reference,
                                                received_on=date(2029, 1, 1), format="pdf",
                                                produced_by=world.users["beheerder"]) for reference in ("Z-1", "Z-2"))
    AccessRequest.objects.filter(pk=old.pk).update(produced_at=at(date(2029, 6, 15)))
    AccessRequest.objects.filter(pk=recent.pk).update(produced_at=at(date(2029, 6, 16)))
    retention.apply_retention(today=TODAY)
    assert list(AccessRequest.objects.values_list("reference", flat=True)) == ["Z-2"]
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(AccessRequest),
                                       object_id=old.pk).exists()
