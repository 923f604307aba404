"""Commands of issue 4: ``kansrijk worklist``, the new ``kansrijk stats`` keys, and the demo histories of
``kansrijk load_demo`` (``inview.synthetic``)."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, OuterRef

from kansrijk.accounts.models import Municipality, User
from kansrijk.caseload.models import Client
from kansrijk.diagnosis import services as diagnosis
from kansrijk.diagnosis.models import (
    DistanceJudgement,
    Intake,
    LadderMeasurement,
    LadderStep,
    ZrmMeasurement,
    ZrmScore,
)
from kansrijk.inview import selectors, services, synthetic
from kansrijk.inview.models import Campaign, ClientSegment, Contact, ContactRhythmRule, Segmentation
from kansrijk.inview.selectors import Reason
from kansrijk.monitoring.pilots.synthetic import PILOT_NOTE
from kansrijk.trajectories.models import Plan, PlanGoal

TODAY = date(2026, 11, 23)


@pytest.fixture
def rhythm(world):
    Client.objects.filter(pk__in=[world.own.pk, world.teammate.pk]).update(active_spell_start=date(2020, 1, 1))
    ContactRhythmRule.objects.create(municipality=world.muni, name="Langdurig jaarlijks", interval_days=365,
                                     min_benefit_years=2)
    return world


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- kansrijk worklist ---------------------------------------------------------------------------------------------


def test_worklist_json_lists_reasons(rhythm):
    services.record_contact(client=rhythm.own, by=rhythm.users["klantmanager"],
                            contacted_on=TODAY - timedelta(days=400), channel="telefoon", summary="Gebeld")
    rows = json.loads(run("worklist", "klantmanager", "--json", "--datum", TODAY.isoformat()))
    assert rows == [{
        "client_number": "5001", "name": "Anna Jansen", "client_manager": "klantmanager", "urgency": rows[0]["urgency"],
        "reasons": [
            {"code": Reason.OVERDUE, "days": 35, "text": rows[0]["reasons"][0]["text"]},
            {"code": Reason.NEVER_DIAGNOSED, "days": None,
             "text": "Nog nooit gediagnosticeerd: geen trede en geen ZRM vastgelegd."},
        ]}]
    assert "35 dagen te laat" in rows[0]["reasons"][0]["text"] and rows[0]["urgency"] > 0


def test_worklist_text_output_and_peildatum(rhythm):
    output = run("worklist", "klantmanager", "--datum", TODAY.isoformat())
    assert "5001  Anna Jansen" in output and "Nog geen contact vastgelegd" in output
    assert output.strip().endswith("1 cliënten vragen aandacht.")
    # Diagnosed and seen: on that date nothing is due.
    step = LadderStep.objects.get(municipality=None, code="4")
    diagnosis.record_ladder(client=rhythm.own, by=rhythm.users["klantmanager"], measured_on=TODAY - timedelta(days=5),
                            step_ids=[step.pk])
    services.record_contact(client=rhythm.own, by=rhythm.users["klantmanager"], contacted_on=TODAY - timedelta(days=5),
                            channel="persoonlijk", summary="Gesprek")
    assert json.loads(run("worklist", "klantmanager", "--json", "--datum", TODAY.isoformat())) == []


def test_worklist_of_a_team(rhythm):
    rows = json.loads(run("worklist", "teamleider", "--json", "--team", str(rhythm.team.pk),
                          "--datum", TODAY.isoformat()))
    assert {row["client_number"] for row in rows} == {"5001", "5002"}
    assert {row["client_manager"] for row in rows} == {"klantmanager", "collega"}
    assert json.loads(run("worklist", "teamleider", "--json", "--team", str(rhythm.other_team.pk),
                          "--datum", TODAY.isoformat())) == []


def test_worklist_errors_in_dutch(rhythm):
    with pytest.raises(CommandError, match="bestaat niet"):
        run("worklist", "niemand")
    with pytest.raises(CommandError, match="geen werklijst"):
        run("worklist", "wijkteammedewerker")
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        run("worklist", "klantmanager", "--datum", "23-11-2026")
    User.objects.filter(username="klantmanager").update(is_active=False)
    with pytest.raises(CommandError, match="niet actief"):
        run("worklist", "klantmanager")


# --- kansrijk stats ------------------------------------------------------------------------------------------------


def test_stats_json_counts_assessments_and_contacts(world):
    before = json.loads(run("stats", "--json"))
    assert before["assessments"] == 0 and before["contacts"] == 0
    step = LadderStep.objects.get(municipality=None, code="3")
    diagnosis.record_ladder(client=world.own, by=world.users["klantmanager"], measured_on=TODAY - timedelta(days=2),
                            step_ids=[step.pk])
    diagnosis.record_intake(client=world.own, by=world.users["klantmanager"], measured_on=TODAY - timedelta(days=2),
                            values={"housing": "stabiel"})
    for _ in range(2):
        services.record_contact(client=world.own, by=world.users["klantmanager"],
                                contacted_on=TODAY - timedelta(days=1), channel="telefoon", summary="Gebeld")
    after = json.loads(run("stats", "--json"))
    assert after["assessments"] == 2 and after["contacts"] == 2
    assert after["clients"] == before["clients"]


# --- demo histories ------------------------------------------------------------------------------------------------


def _fingerprint(municipality):
    return (
        # The demo pilot's measurements (monitoring.pilots.synthetic) are written after the histories, not by them.
        sorted(LadderMeasurement.objects.filter(client__municipality=municipality).exclude(note=PILOT_NOTE).values_list(
            "client__client_number", "measured_on", "trede", "step__code", "note", "proposed_trede")),
        sorted(ZrmMeasurement.objects.filter(client__municipality=municipality).values_list(
            "client__client_number", "measured_on", "version")),
        sorted(Contact.objects.filter(client__municipality=municipality).values_list(
            "client__client_number", "contacted_on", "channel", "confidentiality")),
        Intake.objects.filter(client__municipality=municipality).count(),
    )


@pytest.mark.django_db
def test_load_demo_writes_histories_once_and_deterministically():
    output = io.StringIO()
    call_command("load_demo", "--clients", "300", stdout=output)
    assert "tredemetingen" in output.getvalue()
    main = Municipality.objects.get(name="Voorbeeldstad")
    clients = Client.objects.filter(municipality=main, client_manager__isnull=False)
    total = clients.count()

    # Configuration: Heemskerk's sub-steps, two rhythms, Steenwijkerland's six groups.
    assert sorted(LadderStep.objects.filter(municipality=main).values_list("code", flat=True)) == [
        "1", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    rules = {rule.name: rule for rule in ContactRhythmRule.objects.filter(municipality=main)}
    assert {(r.interval_days, r.min_benefit_years, r.trede_min, r.trede_max) for r in rules.values()} == {
        (365, 2, None, None), (91, None, 1, 2)}
    segmentation = Segmentation.objects.get(municipality=main)
    assert segmentation.name == "Klantgroepen (Steenwijkerland-model)"
    assert list(segmentation.segments.values_list("name", flat=True)) == [
        "Direct werk", "Werken en ervaren", "Leren en ontwikkelen", "Zorg", "Werkvoorzienend", "Geplaatst"]

    # Histories, loosely calibrated: about a third never diagnosed, ZRM for about half, contacts for most. The demo
    # pilot measures part of its undiagnosed comparison pool afterwards; how many depends on the month it starts in.
    ladder = LadderMeasurement.objects.filter(client__municipality=main).exclude(note=PILOT_NOTE)
    zrm = ZrmMeasurement.objects.filter(client__municipality=main)
    never = clients.exclude(Exists(ladder.filter(client=OuterRef("pk")))).exclude(
        Exists(zrm.filter(client=OuterRef("pk")))).count()
    assert 0.2 * total < never < 0.45 * total
    with_zrm = clients.filter(Exists(zrm.filter(client=OuterRef("pk")))).count()
    assert 0.35 * total < with_zrm < 0.65 * total
    assert ZrmScore.objects.filter(measurement__client__municipality=main).count() >= 11 * zrm.count()
    assert ladder.filter(trede__lte=3).count() > ladder.filter(trede__gte=4).count()
    assert ladder.filter(step__municipality=main).exists()  # trede 1–2 as Heemskerk's sub-steps
    contacted = clients.filter(Exists(Contact.objects.filter(client=OuterRef("pk")))).count()
    assert 0.7 * total < contacted < total
    assert Contact.objects.filter(client__municipality=main, confidentiality="sociaal").exists()
    assert Intake.objects.filter(client__municipality=main).exists()
    assert ClientSegment.objects.filter(client__municipality=main).exists()
    # Clients without a client manager (new from the import) have no history.
    assert not Contact.objects.filter(client__municipality=main, client__client_manager__isnull=True).exists()
    # The demo client manager has a worklist to show.
    assert json.loads(run("worklist", "klantmanager", "--json"))
    # Plans of action for most clients diagnosed more than a month ago, some in a second version, most agreed.
    plans = Plan.objects.filter(client__municipality=main)
    latest = plans.filter(next_version__isnull=True)
    assert plans.filter(version=2, previous__version=1).exists()
    assert 0.5 * latest.count() < latest.filter(agreed_on__isnull=False).count() < latest.count()
    assert PlanGoal.objects.filter(plan__in=plans, parent__isnull=False).exists()
    # And the team lead a review campaign under way: long-term clients of their team without contact for a year.
    lead = User.objects.get(username="teamleider")
    campaign = Campaign.objects.get(municipality=main)
    assert campaign.criteria["min_benefit_years"] == 2 and campaign.criteria["no_contact_months"] == 12
    totals = selectors.campaign_progress(campaign, lead)["totals"]
    assert totals["total"] > totals["invited"] > totals["reached"] >= totals["seen"] > 0 and totals["diagnosed"] > 0

    fingerprint = _fingerprint(main)
    again = io.StringIO()
    call_command("load_demo", "--clients", "300", stdout=again)
    assert "niet opnieuw gemaakt" in again.getvalue()
    assert _fingerprint(main) == fingerprint
    assert ContactRhythmRule.objects.filter(municipality=main).count() == 2
    assert LadderStep.objects.filter(municipality=main).count() == 7

    # The same seed on the same day draws the same histories.
    Campaign.objects.filter(municipality=main).delete()
    for model in (Contact, ClientSegment, DistanceJudgement):
        model.objects.filter(client__municipality=main).delete()
    LadderMeasurement.objects.filter(client__municipality=main, corrects__isnull=False).delete()
    for model in (LadderMeasurement, ZrmMeasurement, Intake):
        model.objects.filter(client__municipality=main).delete()
    assert synthetic.write_histories(main, seed=0) is not None
    assert synthetic.write_demo_campaign(main, lead, seed=0) is not None
    assert _fingerprint(main) == fingerprint
    assert synthetic.write_histories(main, seed=0) is None
