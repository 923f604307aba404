"""Findings of the review of issue 5's delivery: what a provider may not see of goals it was not given, referrals
only to approaches the municipality offers, and state changes that must not overwrite each other."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kansrijk.catalogue.tests.factories import approach
from kansrijk.trajectories import services
from kansrijk.trajectories.services import GoalProgressInput, ReportInput

from .factories import TODAY, accepted, delivery, refer
from .test_plans import save as save_plan


@pytest.fixture
def setup(world):
    return delivery(world)


def _goal_reported_by_client_manager_only(world, setup):
    """A trajectory with goal 1 shared with the provider, and a report of the client manager on goal 2, which was
    not shared (the client manager may report on every goal of the latest plan)."""
    plan = save_plan(world)
    shared, not_shared = plan.goals.get(position=1), plan.goals.get(position=2)
    trajectory = accepted(world, setup, goals=[shared.pk])
    services.record_report(trajectory=trajectory, by=world.users["klantmanager"], report=ReportInput(
        kind="voortgang", reported_on=TODAY - timedelta(days=1),
        goals=[GoalProgressInput(goal=not_shared.pk, status="achter", note="Loopt achter")]))
    return trajectory, shared, not_shared


def test_the_provider_page_does_not_show_goals_that_were_not_shared(world, setup, login):
    trajectory, shared, not_shared = _goal_reported_by_client_manager_only(world, setup)
    page = login(world.users["aanbieder"]).get(reverse("referrals:trajectory-detail", args=[trajectory.pk]))
    assert page.status_code == 200
    assert not_shared.description not in page.content.decode()


def test_the_client_manager_still_sees_the_progress_on_every_goal(world, setup, login):
    trajectory, _shared, not_shared = _goal_reported_by_client_manager_only(world, setup)
    page = login(world.users["klantmanager"]).get(reverse("referrals:trajectory-detail", args=[trajectory.pk]))
    assert not_shared.description in page.content.decode()


def test_the_api_does_not_give_a_provider_goals_that_were_not_shared(world, setup, api_login):
    trajectory, _shared, not_shared = _goal_reported_by_client_manager_only(world, setup)
    provider = api_login(world.users["aanbieder"])
    detail = provider.get(f"/api/v1/trajectories/{trajectory.pk}/")
    reports = provider.get(f"/api/v1/trajectories/{trajectory.pk}/reports/")
    for response, listed in ((detail, detail.json()["reports"]), (reports, reports.json())):
        assert not_shared.description not in response.content.decode()
        assert [line["goal"] for report in listed for line in report["goals"]] == []
    km = api_login(world.users["klantmanager"])
    assert not_shared.description in km.get(f"/api/v1/trajectories/{trajectory.pk}/").content.decode()


# --- Referrals only to what the municipality offers -----------------------------------------------------------------


def test_the_api_refuses_an_approach_the_municipality_does_not_offer(world, setup, api_login):
    elsewhere = approach(name="Alleen in Buurdorp")
    km = api_login(world.users["klantmanager"])
    response = km.post("/api/v1/referrals/", {
        "client": world.own.pk, "approach": elsewhere.pk, "provider": setup.provider.pk, "question": "Werk",
        "shared_items": ["naam"]})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "approach"
    assert "niet aangeboden" in response.json()["invalidParams"][0]["reason"]


def test_a_referral_without_a_local_offer_is_tied_to_the_municipalitys_offer(world, setup):
    referral = services.refer(client=world.own, by=world.users["klantmanager"], approach=setup.approach,
                              provider=setup.provider, question="Werk", shared_items=["naam"])
    assert referral.local_offer == setup.offer


def test_an_offer_the_municipality_stopped_is_refused(world, setup):
    setup.offer.active = False
    setup.offer.save()
    with pytest.raises(ValidationError) as excinfo:
        refer(world, setup)
    assert "local_offer" in excinfo.value.message_dict


# --- A stale page does not overwrite what was recorded in the meantime ----------------------------------------------


def test_an_aftercare_contact_recorded_twice_keeps_the_first(world, setup, settings):
    settings.KANSRIJK_NAZORG_MONTHS = (1,)
    trajectory = accepted(world, setup, days_ago=60)
    services.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"], end_on=TODAY - timedelta(days=40),
                            reason="werk_gevonden", result="werk_regulier")
    task = trajectory.aftercare_tasks.get()
    stale = type(task).objects.get(pk=task.pk)
    services.complete_aftercare(task=task, by=world.users["klantmanager"], outcome="contact", note="Gaat goed")
    with pytest.raises(ValidationError) as excinfo:
        services.complete_aftercare(task=stale, by=world.users["klantmanager"], outcome="niet_bereikt")
    assert "al vastgelegd" in excinfo.value.message_dict["outcome"][0]
    task.refresh_from_db()
    assert (task.outcome, task.note) == ("contact", "Gaat goed")


# --- The draaideur when one import brings several new spells ---------------------------------------------------------


def test_a_second_new_spell_counts_from_the_end_of_the_first(world):
    from kansrijk.caseload.models import ReturnToBenefit
    from kansrijk.caseload.tests.test_importing import period

    from .test_aftercare_and_returns import run_import

    run_import([period(client="7101", start="2019-01-01", end="2020-01-31")], world.muni)
    # Back for half a year in 2020, then gone, then back in 2023: the 2023 spell is a return 24 months after the
    # 2020 spell ended (and over three years after the first one ended, beyond the window).
    run_import([period(client="7101", start="2019-01-01", end="2020-01-31"),
                period(client="7101", start="2020-06-01", end="2020-12-31"),
                period(client="7101", start="2022-12-01")], world.muni)
    flags = {flag.new_spell_start.isoformat(): (flag.previous_end.isoformat(), flag.months_between)
             for flag in ReturnToBenefit.objects.all()}
    assert flags == {"2020-06-01": ("2020-01-31", 4), "2022-12-01": ("2020-12-31", 23)}
