import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kansrijk.caseload.models import Client
from kansrijk.diagnosis import services as diagnosis
from kansrijk.diagnosis.models import LadderMeasurement, LadderStep
from kansrijk.inview import selectors, services
from kansrijk.inview.models import Campaign, ContactRhythmRule, Segment, Segmentation
from kansrijk.inview.selectors import CampaignCriteria, Reason

TODAY = date(2026, 11, 23)


def codes(items, client):
    return [r["code"] for item in items if item.client_id == client.pk for r in item.reasons]


@pytest.fixture
def rhythm(world):
    Client.objects.filter(pk__in=[world.own.pk, world.teammate.pk]).update(active_spell_start=date(2020, 1, 1))
    ContactRhythmRule.objects.create(municipality=world.muni, name="Langdurig jaarlijks", interval_days=365,
                                     min_benefit_years=2)
    ContactRhythmRule.objects.create(municipality=world.muni, name="Trede 1-2", interval_days=91, trede_min=1,
                                     trede_max=2)
    return world


def contact(world, client, days_ago, **extra):
    values = {"channel": "persoonlijk", "summary": "Gesprek", **extra}
    return services.record_contact(client=client, by=world.users["klantmanager"],
                                   contacted_on=TODAY - timedelta(days=days_ago), **values)


def ladder(world, client, code, days_ago=10, **extra):
    step = LadderStep.objects.get(municipality=None, code=code)
    return diagnosis.record_ladder(client=client, by=world.users["klantmanager"],
                                   measured_on=TODAY - timedelta(days=days_ago), step_ids=[step.pk], **extra)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_never_contacted_and_never_diagnosed(rhythm):
    items = selectors.worklist(rhythm.users["klantmanager"], today=TODAY)
    assert codes(items, rhythm.own) == [Reason.NEVER_CONTACTED, Reason.NEVER_DIAGNOSED]
    assert all(item.client_manager_id == rhythm.users["klantmanager"].pk for item in items)


def test_shortest_matching_interval_wins_and_trede_rule_needs_a_measurement(rhythm):
    contact(rhythm, rhythm.own, 120)
    ladder(rhythm, rhythm.own, "4")
    assert codes(selectors.worklist(rhythm.users["klantmanager"], today=TODAY), rhythm.own) == []
    ladder(rhythm, rhythm.own, "2", days_ago=5)
    items = selectors.worklist(rhythm.users["klantmanager"], today=TODAY)
    reason = next(r for i in items if i.client_id == rhythm.own.pk for r in i.reasons)
    assert reason["code"] == Reason.OVERDUE and reason["days"] == 120 - 91 and "Trede 1-2" in reason["text"]


def test_segment_rule(rhythm):
    segmentation = Segmentation.objects.create(municipality=rhythm.muni, name="Klantgroepen")
    fip = Segment.objects.create(segmentation=segmentation, name="FIP")
    ContactRhythmRule.objects.create(municipality=rhythm.muni, name="FIP", interval_days=14, segment=fip)
    contact(rhythm, rhythm.own, 20)
    ladder(rhythm, rhythm.own, "4")
    assert codes(selectors.worklist(rhythm.users["klantmanager"], today=TODAY), rhythm.own) == []
    services.place_in_segment(client=rhythm.own, segment=fip, by=rhythm.users["klantmanager"])
    assert codes(selectors.worklist(rhythm.users["klantmanager"], today=TODAY), rhythm.own) == [Reason.OVERDUE]


def test_stale_diagnosis_exemption_and_follow_up(rhythm):
    contact(rhythm, rhythm.own, 10, follow_up="Bellen", follow_up_on=TODAY + timedelta(days=3))
    ladder(rhythm, rhythm.own, "4", days_ago=400)
    diagnosis.record_intake(client=rhythm.own, by=rhythm.users["klantmanager"], measured_on=TODAY - timedelta(days=5),
                            values={"job_search_exemption_until": TODAY + timedelta(days=20),
                                    "work_exemption_until": TODAY - timedelta(days=2)})
    items = selectors.worklist(rhythm.users["klantmanager"], today=TODAY)
    # Diagnosed 400 days ago and the work exemption has ended: a plan van aanpak is due as well.
    assert codes(items, rhythm.own) == [Reason.DIAGNOSIS_STALE, Reason.EXEMPTION_EXPIRING, Reason.EXEMPTION_EXPIRING,
                                        Reason.NO_PLAN, Reason.FOLLOW_UP_DUE]
    texts = " ".join(r["text"] for i in items if i.client_id == rhythm.own.pk for r in i.reasons)
    assert "verlopen" in texts and "loopt af" in texts


def test_corrected_measurement_is_ignored(rhythm):
    contact(rhythm, rhythm.own, 10)
    old = ladder(rhythm, rhythm.own, "2", days_ago=10)
    ladder(rhythm, rhythm.own, "4", days_ago=10, corrects=old)
    assert LadderMeasurement.objects.count() == 2
    assert codes(selectors.worklist(rhythm.users["klantmanager"], today=TODAY), rhythm.own) == []


def test_clients_without_running_benefit_are_left_out(rhythm):
    Client.objects.filter(pk=rhythm.own.pk).update(active_spell_start=None)
    assert rhythm.own.pk not in [i.client_id for i in selectors.worklist(rhythm.users["klantmanager"], today=TODAY)]


def test_team_lead_sees_the_team_and_balance(rhythm):
    lead = rhythm.users["teamleider"]
    ids = {item.client_id for item in selectors.worklist(lead, today=TODAY)}
    assert {rhythm.own.pk, rhythm.teammate.pk} <= ids and rhythm.other_team_client.pk not in ids
    balance = {row["client_manager"]: row for row in selectors.caseload_balance(lead, today=TODAY)}
    assert balance[rhythm.users["klantmanager"]]["attention"] == 1


@pytest.mark.parametrize("extra", [0, 12])
def test_worklist_query_count_does_not_grow(rhythm, extra):
    from kansrijk.caseload.tests.factories import ClientFactory

    # Diagnosed long ago and without a plan, so the "no plan" rule reads its facts too.
    ladder(rhythm, rhythm.own, "3", days_ago=100)
    for _ in range(extra):
        client = ClientFactory(municipality=rhythm.muni, team=rhythm.team, client_manager=rhythm.users["klantmanager"],
                               active_spell_start=date(2019, 1, 1))
        contact(rhythm, client, 30)
        ladder(rhythm, client, "3", days_ago=100)
    with CaptureQueriesContext(connection) as queries:
        items = selectors.worklist(rhythm.users["klantmanager"], today=TODAY)
    # 6 for the worklist's own facts, 2 for aftercare due and recent returns to benefit (trajectories, caseload).
    assert len(queries) == 8
    assert sum(Reason.NO_PLAN in [r["code"] for r in item.reasons] for item in items) == extra + 1


def test_contacts_respect_confidentiality(rhythm):
    social = contact(rhythm, rhythm.own, 1, confidentiality="sociaal")
    work = contact(rhythm, rhythm.own, 1)
    secret = contact(rhythm, rhythm.own, 1, confidentiality="vertrouwelijk")
    from kansrijk.inview.models import Contact

    def seen(user):
        return set(selectors.contacts_visible_to(user, Contact.objects.all()).values_list("pk", flat=True))

    assert seen(rhythm.users["wijkteammedewerker"]) == {social.pk}
    assert seen(rhythm.users["klantmanager"]) == {social.pk, work.pk, secret.pk}
    assert seen(rhythm.users["teamleider"]) == {social.pk, work.pk}


def test_campaign_selects_spreads_and_follows_progress(rhythm):
    lead = rhythm.users["teamleider"]
    unassigned = Client.objects.create(municipality=rhythm.muni, client_number="9001", birth_year=1970, sex="V",
                                       team=rhythm.team, active_spell_start=date(2019, 1, 1))
    contact(rhythm, rhythm.teammate, 30)  # recent contact: not selected
    criteria = CampaignCriteria(municipality_id=rhythm.muni.pk, min_benefit_years=2, no_contact_months=12)
    campaign = services.create_campaign(by=lead, name="Doorlichting 2026", criteria=criteria)
    invitations = {i.client_id: i.client_manager_id for i in campaign.invitations.all()}
    assert set(invitations) == {rhythm.own.pk, unassigned.pk}
    assert invitations[rhythm.own.pk] == rhythm.users["klantmanager"].pk
    assert invitations[unassigned.pk] in {rhythm.users["klantmanager"].pk, rhythm.colleague.pk}
    assert services.mark_invited(campaign=campaign, client_ids=[rhythm.own.pk], by=rhythm.users["klantmanager"]) == 1
    contact(rhythm, rhythm.own, 0)
    ladder(rhythm, rhythm.own, "3", days_ago=0)
    totals = selectors.campaign_progress(campaign, lead)["totals"]
    assert totals == {"total": 2, "invited": 1, "reached": 1, "seen": 1, "diagnosed": 1}
    with pytest.raises(PermissionDenied):
        services.create_campaign(by=rhythm.users["klantmanager"], name="x", criteria=criteria)
    assert Campaign.objects.count() == 1


def test_worklist_command(rhythm):
    out = StringIO()
    call_command("worklist", "klantmanager", "--json", "--datum", TODAY.isoformat(), stdout=out)
    rows = json.loads(out.getvalue())
    own = next(row for row in rows if row["client_number"] == rhythm.own.client_number)
    assert [r["code"] for r in own["reasons"]] == [Reason.NEVER_CONTACTED, Reason.NEVER_DIAGNOSED]
    with pytest.raises(CommandError):
        call_command("worklist", "bestaat-niet", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("worklist", "beheerder", stdout=StringIO())


def test_stats_count_assessments_and_contacts(rhythm):
    contact(rhythm, rhythm.own, 1)
    ladder(rhythm, rhythm.own, "3")
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["assessments"] == 1 and stats["contacts"] == 1
