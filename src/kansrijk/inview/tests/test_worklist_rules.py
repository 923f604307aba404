"""Every rule of ``selectors.worklist`` and its edges, on a fixed day. Records are created directly (not through the
services) so each test states exactly the facts the rule reads."""

from datetime import date, timedelta

import pytest

from kansrijk.caseload.models import Client
from kansrijk.caseload.tests.factories import ClientFactory
from kansrijk.diagnosis.models import Intake, LadderMeasurement, LadderStep, ZrmMeasurement
from kansrijk.inview import selectors
from kansrijk.inview.models import (
    Campaign,
    CampaignInvitation,
    ClientSegment,
    Contact,
    ContactRhythmRule,
    Segment,
    Segmentation,
)
from kansrijk.inview.selectors import Reason
from kansrijk.trajectories.models import Plan

TODAY = date(2025, 6, 16)


def years_ago(years: int, days: int = 0) -> date:
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=days)


@pytest.fixture
def w(world):
    """The world's clients all have a benefit running for five years, and a plan van aanpak (the "no plan" rule has
    its own tests below)."""
    Client.objects.update(active_spell_start=years_ago(5))
    Plan.objects.bulk_create(Plan(client=client, version=1, created_by=world.users["klantmanager"])
                             for client in Client.objects.all())
    world.own.refresh_from_db()
    world.km = world.users["klantmanager"]
    return world


def rule(w, interval, name=None, **conditions):
    return ContactRhythmRule.objects.create(municipality=w.muni, name=name or f"Elke {interval} dagen",
                                            interval_days=interval, **conditions)


def contact(w, client, days_ago, follow_up_on=None):
    return Contact.objects.create(client=client, author=w.km, contacted_on=TODAY - timedelta(days=days_ago),
                                  channel="telefoon", summary="Gesprek", follow_up_on=follow_up_on)


def ladder(w, client, code, days_ago=10, corrects=None):
    step = LadderStep.objects.get(municipality=None, code=code)
    return LadderMeasurement.objects.create(client=client, measured_by=w.km,
                                            measured_on=TODAY - timedelta(days=days_ago), step=step, trede=step.trede,
                                            corrects=corrects)


def zrm(w, client, days_ago=10, corrects=None):
    return ZrmMeasurement.objects.create(client=client, measured_by=w.km, measured_on=TODAY - timedelta(days=days_ago),
                                         version="2017", corrects=corrects)


def intake(w, client, days_ago=10, **exemptions):
    return Intake.objects.create(client=client, measured_by=w.km, measured_on=TODAY - timedelta(days=days_ago),
                                 **exemptions)


def reasons(w, client, user=None, **kwargs) -> list[dict]:
    items = selectors.worklist(user or w.km, today=TODAY, **kwargs)
    return next((item.reasons for item in items if item.client_id == client.pk), [])


def codes(w, client, user=None, **kwargs) -> list[str]:
    return [r["code"] for r in reasons(w, client, user, **kwargs)]


def in_view(w, client):
    """The client is diagnosed recently, so only the rule under test can put them on the list."""
    ladder(w, client, "4", days_ago=5)


# --- Contact rhythm -------------------------------------------------------------------------------------------------


def test_without_rules_no_contact_reason(w):
    in_view(w, w.own)
    assert codes(w, w.own) == []


def test_empty_conditions_match_everyone_never_contacted(w):
    in_view(w, w.own)
    rule(w, 365, name="Iedereen jaarlijks")
    [reason] = reasons(w, w.own)
    assert reason["code"] == Reason.NEVER_CONTACTED and reason["days"] is None
    assert "Iedereen jaarlijks" in reason["text"] and "365" in reason["text"]


@pytest.mark.parametrize(("days_ago", "late"), [(364, None), (365, None), (366, 1), (400, 35)])
def test_overdue_from_the_day_after_the_interval(w, days_ago, late):
    in_view(w, w.own)
    rule(w, 365)
    contact(w, w.own, days_ago)
    found = reasons(w, w.own)
    if late is None:
        assert found == []
    else:
        [reason] = found
        assert reason["code"] == Reason.OVERDUE and reason["days"] == late
        assert f"{late} dagen te laat" in reason["text"]
        assert (TODAY - timedelta(days=days_ago)).strftime("%d-%m-%Y") in reason["text"]


def test_only_the_latest_contact_counts(w):
    in_view(w, w.own)
    rule(w, 30)
    contact(w, w.own, 100)
    contact(w, w.own, 10)
    assert codes(w, w.own) == []


def test_shortest_matching_interval_wins(w):
    in_view(w, w.own)  # trede 4
    rule(w, 365, name="Jaarlijks")
    rule(w, 91, name="Langdurig per kwartaal", min_benefit_years=2)
    rule(w, 14, name="Trede 1-2", trede_min=1, trede_max=2)  # does not match trede 4
    segmentation = Segmentation.objects.create(municipality=w.muni, name="Groepen")
    fip = Segment.objects.create(segmentation=segmentation, name="FIP")
    rule(w, 7, name="FIP", segment=fip)  # the client is not in this group
    contact(w, w.own, 100)
    [reason] = reasons(w, w.own)
    assert reason["code"] == Reason.OVERDUE and reason["days"] == 100 - 91
    assert "Langdurig per kwartaal" in reason["text"]


def test_equal_intervals_pick_the_first_rule(w):
    in_view(w, w.own)
    first = rule(w, 30, name="Eerste regel")
    rule(w, 30, name="Tweede regel")
    assert first.pk < ContactRhythmRule.objects.get(name="Tweede regel").pk
    assert "Eerste regel" in reasons(w, w.own)[0]["text"]


@pytest.mark.parametrize(("start", "matches"), [
    (years_ago(2), True),             # exactly two years: on the boundary, counts
    (years_ago(2) + timedelta(days=1), False),
    (years_ago(1), False),
    (years_ago(10), True),
])
def test_min_benefit_years(w, start, matches):
    Client.objects.filter(pk=w.own.pk).update(active_spell_start=start)
    in_view(w, w.own)
    rule(w, 365, min_benefit_years=2)
    assert codes(w, w.own) == ([Reason.NEVER_CONTACTED] if matches else [])


def test_min_benefit_years_on_29_february(w):
    Client.objects.filter(pk=w.own.pk).update(active_spell_start=date(2022, 2, 28))
    rule(w, 365, min_benefit_years=2)
    ladder(w, w.own, "4", days_ago=5)
    leap_day = date(2024, 2, 29)
    items = selectors.worklist(w.km, today=leap_day)
    own = next(item for item in items if item.client_id == w.own.pk)
    assert Reason.NEVER_CONTACTED in [r["code"] for r in own.reasons]


def test_trede_rule_ignores_clients_without_a_measurement(w):
    zrm(w, w.own)  # diagnosed by ZRM, no ladder step
    rule(w, 91, trede_min=1, trede_max=2)
    assert codes(w, w.own) == []


@pytest.mark.parametrize(("code", "matches"), [("1", True), ("2", True), ("3", False), ("6", False)])
def test_trede_range(w, code, matches):
    ladder(w, w.own, code, days_ago=5)
    rule(w, 91, trede_min=1, trede_max=2)
    assert codes(w, w.own) == ([Reason.NEVER_CONTACTED] if matches else [])


@pytest.mark.parametrize(("code", "matches"), [("4", False), ("5", True), ("6", True)])
def test_open_ended_trede_range(w, code, matches):
    ladder(w, w.own, code, days_ago=5)
    rule(w, 30, trede_min=5)
    assert codes(w, w.own) == ([Reason.NEVER_CONTACTED] if matches else [])


def test_trede_rule_reads_the_latest_measurement(w):
    ladder(w, w.own, "1", days_ago=100)
    ladder(w, w.own, "4", days_ago=5)
    rule(w, 91, trede_min=1, trede_max=2)
    assert codes(w, w.own) == []


def test_segment_rule(w):
    in_view(w, w.own)
    segmentation = Segmentation.objects.create(municipality=w.muni, name="Groepen")
    fip, other = (Segment.objects.create(segmentation=segmentation, name=name) for name in ("FIP", "Overig"))
    rule(w, 14, name="FIP", segment=fip)
    contact(w, w.own, 20)
    assert codes(w, w.own) == []
    placed = ClientSegment.objects.create(client=w.own, segmentation=segmentation, segment=other, placed_by=w.km,
                                          placed_on=TODAY)
    assert codes(w, w.own) == []
    placed.segment = fip
    placed.save()
    [reason] = reasons(w, w.own)
    assert reason["code"] == Reason.OVERDUE and reason["days"] == 6 and "FIP" in reason["text"]


def test_combined_conditions_must_all_hold(w):
    segmentation = Segmentation.objects.create(municipality=w.muni, name="Groepen")
    fip = Segment.objects.create(segmentation=segmentation, name="FIP")
    ClientSegment.objects.create(client=w.own, segmentation=segmentation, segment=fip, placed_by=w.km,
                                 placed_on=TODAY)
    ladder(w, w.own, "2", days_ago=5)
    rule(w, 14, segment=fip, trede_min=1, trede_max=2, min_benefit_years=6)  # five years on benefit: no
    assert codes(w, w.own) == []
    ContactRhythmRule.objects.update(min_benefit_years=5)
    assert codes(w, w.own) == [Reason.NEVER_CONTACTED]


def test_inactive_rules_and_rules_of_other_municipalities_are_ignored(w):
    in_view(w, w.own)
    rule(w, 30, active=False)
    ContactRhythmRule.objects.create(municipality=w.other_muni, name="Buurdorp", interval_days=30)
    assert codes(w, w.own) == []


# --- Diagnosis ------------------------------------------------------------------------------------------------------


def test_never_diagnosed(w):
    [reason] = reasons(w, w.own)
    assert reason["code"] == Reason.NEVER_DIAGNOSED and "geen trede en geen ZRM" in reason["text"]


@pytest.mark.parametrize("instrument", [ladder, zrm])
def test_either_instrument_counts_as_diagnosed(w, instrument):
    if instrument is ladder:
        ladder(w, w.own, "3", days_ago=5)
    else:
        zrm(w, w.own, days_ago=5)
    assert codes(w, w.own) == []


@pytest.mark.parametrize(("days_ago", "stale_by"), [(365, None), (366, 1), (500, 135)])
def test_diagnosis_older_than_365_days(w, days_ago, stale_by):
    ladder(w, w.own, "3", days_ago=days_ago)
    found = reasons(w, w.own)
    if stale_by is None:
        assert found == []
    else:
        [reason] = found
        assert reason["code"] == Reason.DIAGNOSIS_STALE and reason["days"] == stale_by
        assert (TODAY - timedelta(days=days_ago)).strftime("%d-%m-%Y") in reason["text"]


def test_latest_of_ladder_and_zrm_counts(w):
    ladder(w, w.own, "3", days_ago=500)
    zrm(w, w.own, days_ago=30)
    assert codes(w, w.own) == []


def test_corrected_measurements_are_ignored(w):
    # A ladder step recorded with the wrong date is corrected by one with the right, older date: the diagnosis is
    # then stale; and a corrected trede 1 no longer matches a trede 1-2 rule.
    wrong = ladder(w, w.own, "1", days_ago=5)
    ladder(w, w.own, "4", days_ago=400, corrects=wrong)
    rule(w, 91, trede_min=1, trede_max=2)
    assert codes(w, w.own) == [Reason.DIAGNOSIS_STALE]


def test_corrected_zrm_is_ignored(w):
    wrong = zrm(w, w.own, days_ago=5)
    zrm(w, w.own, days_ago=450, corrects=wrong)
    assert codes(w, w.own) == [Reason.DIAGNOSIS_STALE]


# --- No plan van aanpak ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_ago", "late_by"), [(30, None), (31, 1), (200, 170)])
def test_no_plan_a_month_after_the_first_diagnosis(w, days_ago, late_by):
    Plan.objects.filter(client=w.own).delete()
    ladder(w, w.own, "3", days_ago=days_ago)
    ladder(w, w.own, "3", days_ago=5)
    found = [r for r in reasons(w, w.own) if r["code"] == Reason.NO_PLAN]
    if late_by is None:
        assert found == []
    else:
        assert [r["days"] for r in found] == [late_by]
        assert (TODAY - timedelta(days=days_ago)).strftime("%d-%m-%Y") in found[0]["text"]


def test_no_plan_counts_from_the_earliest_of_ladder_and_zrm_and_ignores_corrected_records(w):
    Plan.objects.filter(client=w.own).delete()
    wrong = zrm(w, w.own, days_ago=100)
    zrm(w, w.own, days_ago=10, corrects=wrong)
    ladder(w, w.own, "3", days_ago=20)
    assert Reason.NO_PLAN not in codes(w, w.own)
    ladder(w, w.own, "3", days_ago=60)
    assert Reason.NO_PLAN in codes(w, w.own)


def test_no_plan_is_not_asked_during_a_work_exemption(w):
    Plan.objects.filter(client=w.own).delete()
    ladder(w, w.own, "1", days_ago=90)
    intake(w, w.own, work_exemption_until=TODAY + timedelta(days=200))
    assert Reason.NO_PLAN not in codes(w, w.own)
    Intake.objects.all().delete()
    intake(w, w.own, work_exemption_until=TODAY - timedelta(days=1))
    assert Reason.NO_PLAN in codes(w, w.own)


def test_never_diagnosed_is_not_also_no_plan(w):
    Plan.objects.filter(client=w.own).delete()
    assert codes(w, w.own) == [Reason.NEVER_DIAGNOSED]


# --- Exemptions -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("until_in", "expected"), [
    (31, None), (30, "loopt af"), (1, "loopt af"), (0, "loopt af"), (-1, "verlopen"), (-200, "verlopen")])
def test_exemption_expiring_within_30_days_or_expired(w, until_in, expected):
    in_view(w, w.own)
    until = TODAY + timedelta(days=until_in)
    intake(w, w.own, job_search_exemption_until=until)
    found = reasons(w, w.own)
    if expected is None:
        assert found == []
    else:
        [reason] = found
        assert reason["code"] == Reason.EXEMPTION_EXPIRING and expected in reason["text"]
        assert "sollicitatieplicht" in reason["text"] and until.strftime("%d-%m-%Y") in reason["text"]
        assert reason["days"] == -until_in


def test_both_exemptions_give_two_reasons(w):
    in_view(w, w.own)
    intake(w, w.own, work_exemption_until=TODAY - timedelta(days=2),
           job_search_exemption_until=TODAY + timedelta(days=20))
    found = reasons(w, w.own)
    assert [r["code"] for r in found] == [Reason.EXEMPTION_EXPIRING, Reason.EXEMPTION_EXPIRING]
    assert "arbeidsverplichtingen is verlopen" in found[0]["text"] and "loopt af" in found[1]["text"]


def test_only_the_latest_intake_counts(w):
    in_view(w, w.own)
    intake(w, w.own, days_ago=300, job_search_exemption_until=TODAY + timedelta(days=5))
    intake(w, w.own, days_ago=10)  # the new intake grants no exemption
    assert codes(w, w.own) == []


def test_corrected_intake_is_ignored(w):
    in_view(w, w.own)
    wrong = intake(w, w.own, days_ago=10, job_search_exemption_until=TODAY + timedelta(days=5))
    intake(w, w.own, days_ago=10, job_search_exemption_until=TODAY + timedelta(days=200), corrects=wrong)
    assert codes(w, w.own) == []


# --- Follow-up ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("due_in", "listed"), [(8, False), (7, True), (0, True), (-10, True)])
def test_follow_up_due_within_a_week_or_past(w, due_in, listed):
    in_view(w, w.own)
    contact(w, w.own, 3, follow_up_on=TODAY + timedelta(days=due_in))
    found = reasons(w, w.own)
    if not listed:
        assert found == []
    else:
        [reason] = found
        assert reason["code"] == Reason.FOLLOW_UP_DUE and reason["days"] == -due_in
        assert (TODAY + timedelta(days=due_in)).strftime("%d-%m-%Y") in reason["text"]


def test_only_the_follow_up_of_the_latest_contact_counts(w):
    in_view(w, w.own)
    contact(w, w.own, 20, follow_up_on=TODAY)
    contact(w, w.own, 3)  # a later contact without a new agreement
    assert codes(w, w.own) == []


# --- Campaign invitations -------------------------------------------------------------------------------------------


def test_open_campaign_invitation(w):
    in_view(w, w.own)
    campaign = Campaign.objects.create(municipality=w.muni, name="Doorlichting", created_by=w.users["teamleider"],
                                       started_on=TODAY)
    invitation = CampaignInvitation.objects.create(campaign=campaign, client=w.own, client_manager=w.km)
    [reason] = reasons(w, w.own)
    assert reason["code"] == Reason.CAMPAIGN and "Doorlichting" in reason["text"]
    invitation.invited_on = TODAY
    invitation.save()
    assert codes(w, w.own) == []
    invitation.invited_on = None
    invitation.save()
    campaign.closed_on = TODAY
    campaign.save()
    assert codes(w, w.own) == []


# --- Who is on which worklist ---------------------------------------------------------------------------------------


def test_clients_without_a_running_benefit_are_left_out(w):
    Client.objects.filter(pk=w.own.pk).update(active_spell_start=None)
    rule(w, 30)
    assert w.own.pk not in [item.client_id for item in selectors.worklist(w.km, today=TODAY)]


def test_a_client_with_nothing_due_is_not_listed(w):
    in_view(w, w.own)
    rule(w, 30)
    contact(w, w.own, 5)
    assert w.own.pk not in [item.client_id for item in selectors.worklist(w.km, today=TODAY)]


def test_client_manager_sees_own_clients_only(w):
    ids = {item.client_id for item in selectors.worklist(w.km, today=TODAY)}
    assert ids == {w.own.pk}


def test_team_lead_sees_clients_of_their_teams(w):
    lead = w.users["teamleider"]
    no_team = ClientFactory(municipality=w.muni, team=None, active_spell_start=years_ago(3))
    ids = {item.client_id for item in selectors.worklist(lead, today=TODAY)}
    assert ids == {w.own.pk, w.teammate.pk}
    assert no_team.pk not in ids and w.other_team_client.pk not in ids and w.other_muni_client.pk not in ids
    assert {item.client_id for item in selectors.worklist(lead, client_manager=w.colleague, today=TODAY)} == {
        w.teammate.pk}
    assert {item.client_id for item in selectors.worklist(lead, team_id=w.team.pk, today=TODAY)} == {
        w.own.pk, w.teammate.pk}


def test_most_urgent_first(w):
    rule(w, 30)
    ladder(w, w.own, "3", days_ago=400)   # stale diagnosis, never contacted
    contact(w, w.own, 1)                  # ... but contacted: only stale
    urgent = ClientFactory(municipality=w.muni, team=w.team, client_manager=w.km, active_spell_start=years_ago(3))
    ladder(w, urgent, "3", days_ago=5)
    contact(w, urgent, 200)               # overdue
    order = [item.client_id for item in selectors.worklist(w.km, today=TODAY)]
    assert order == [urgent.pk, w.own.pk]


def test_caseload_balance_counts_clients_and_attention(w):
    lead = w.users["teamleider"]
    in_view(w, w.teammate)
    rows = {row["client_manager"]: row for row in selectors.caseload_balance(lead, today=TODAY)}
    assert rows[w.km] == {"client_manager": w.km, "clients": 1, "attention": 1}
    assert rows[w.colleague] == {"client_manager": w.colleague, "clients": 1, "attention": 0}
    items = selectors.worklist(lead, today=TODAY)
    assert selectors.caseload_balance_from(lead, items) == selectors.caseload_balance(lead, today=TODAY)
