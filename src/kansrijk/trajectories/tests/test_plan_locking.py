"""Concurrent edits of the same plan van aanpak never lose an update (optimistic locking): every edit names the
version it started from; when someone saved another version in the meantime, nothing is saved, the editor keeps
their input and sees what changed, and can save again on top of the new version. Tested with two browser sessions,
two API clients, and on PostgreSQL with two connections racing in threads."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from kansrijk.trajectories import services
from kansrijk.trajectories.models import Plan
from kansrijk.trajectories.services import GoalInput, PlanInput

from .test_plans import TODAY, a_plan, form_data, save

LATER = TODAY + timedelta(days=60)
GOAL = {"description": "Werk in de zorg", "due_on": LATER.isoformat(), "target": "24 uur"}


def session(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def edit_url(world) -> str:
    return reverse("trajectories:plan-edit", args=[world.own.pk])


def base_version_in(html: str) -> str:
    """The hidden field the edit form carries: the version the edit starts from."""
    return re.search(r'name="based_on_version"(?: value="(\d*)")?', html).group(1) or ""


def agreements_of(plan: Plan) -> list[str]:
    return [agreement.text for agreement in plan.agreements.all()]


# --- Two browser sessions ------------------------------------------------------------------------------------------


def test_the_second_of_two_sessions_gets_a_409_keeps_its_input_and_can_save_on_top(world):
    save(world, agreements=["Elke twee weken een gesprek."])
    first, second = session(world.users["klantmanager"]), session(world.colleague)
    first_base = base_version_in(first.get(edit_url(world)).content.decode())
    second_base = base_version_in(second.get(edit_url(world)).content.decode())
    assert first_base == second_base == "1"

    response = first.post(edit_url(world), form_data(
        goals=[GOAL], agreements=[{"text": "Elke twee weken een gesprek."}, {"text": "Elke week bellen."}],
        based_on_version=first_base))
    assert response.status_code == 302

    response = second.post(edit_url(world), form_data(
        goals=[GOAL], agreements=[{"text": "Elke twee weken een gesprek."}, {"text": "Cv bijwerken met Karin."}],
        based_on_version=second_base))
    html = response.content.decode()
    assert response.status_code == 409
    v2 = Plan.objects.get(client=world.own, version=2)
    saved_at = timezone.localtime(v2.created_at)
    assert (f"Dit plan van aanpak is intussen gewijzigd door {world.users['klantmanager']} om {saved_at:%H:%M} "
            f"(versie 2).") in html
    assert "Uw wijzigingen zijn niet opgeslagen" in html
    # The second user's input is still in the form, and the first user's change is shown beside it.
    assert "Cv bijwerken met Karin." in html
    changes = html[html.index('id="wijzigingen"'):html.index('class="plan-form"')]
    assert "Elke week bellen." in changes and "Cv bijwerken" not in changes
    # Saving again now builds on version 2.
    assert base_version_in(html) == "2"
    # Nothing was lost or overwritten: version 2 is the first user's, and the second user's work was not saved yet.
    assert Plan.objects.filter(client=world.own).count() == 2
    assert agreements_of(v2) == ["Elke twee weken een gesprek.", "Elke week bellen."]
    assert v2.created_by == world.users["klantmanager"]

    # The second user carries the first one's change over and saves on top of version 2.
    response = second.post(edit_url(world), form_data(
        goals=[GOAL], agreements=[{"text": "Elke twee weken een gesprek."}, {"text": "Elke week bellen."},
                                  {"text": "Cv bijwerken met Karin."}],
        based_on_version=base_version_in(html)))
    assert response.status_code == 302
    v3 = Plan.objects.get(client=world.own, version=3)
    assert (v3.previous, v3.created_by) == (v2, world.colleague)
    assert agreements_of(v3) == ["Elke twee weken een gesprek.", "Elke week bellen.", "Cv bijwerken met Karin."]


def test_the_same_user_in_two_tabs_is_told_it_was_themselves(world):
    save(world)
    tab_one, tab_two = session(world.users["klantmanager"]), session(world.users["klantmanager"])
    base = base_version_in(tab_one.get(edit_url(world)).content.decode())
    assert tab_one.post(edit_url(world), form_data(goals=[GOAL], based_on_version=base)).status_code == 302
    response = tab_two.post(edit_url(world), form_data(goals=[GOAL], agreements=[{"text": "Tweede tabblad."}],
                                                       based_on_version=base))
    html = response.content.decode()
    assert response.status_code == 409 and "gewijzigd door uzelf (in een ander venster of tabblad)" in html
    assert "Tweede tabblad." in html and Plan.objects.count() == 2


def test_two_sessions_writing_the_first_plan(world):
    first, second = session(world.users["klantmanager"]), session(world.colleague)
    assert base_version_in(first.get(edit_url(world)).content.decode()) == ""
    assert base_version_in(second.get(edit_url(world)).content.decode()) == ""
    assert first.post(edit_url(world), form_data(goals=[GOAL])).status_code == 302
    response = second.post(edit_url(world), form_data(goals=[{**GOAL, "description": "Taalcursus B1"}]))
    html = response.content.decode()
    assert response.status_code == 409 and "(versie 1)" in html and "Wat staat er in versie 1?" in html
    assert "Taalcursus B1" in html and base_version_in(html) == "1"
    assert list(Plan.objects.values_list("version", "created_by")) == [(1, world.users["klantmanager"].pk)]


def test_a_base_version_that_does_not_exist_is_an_input_error(world, login):
    save(world)
    response = login(world.users["klantmanager"]).post(edit_url(world), form_data(goals=[GOAL], based_on_version=7))
    assert response.status_code == 400 and "Versie 7 van dit plan bestaat niet." in response.content.decode()
    assert Plan.objects.count() == 1


def test_agreeing_to_a_version_that_was_replaced_meanwhile_is_refused(world):
    v1 = save(world)
    manager, colleague = session(world.users["klantmanager"]), session(world.colleague)
    assert "Akkoord van de cliënt vastleggen" in manager.get(reverse("trajectories:plan",
                                                                     args=[world.own.pk])).content.decode()
    base = base_version_in(colleague.get(edit_url(world)).content.decode())
    assert colleague.post(edit_url(world), form_data(goals=[GOAL], based_on_version=base)).status_code == 302
    response = manager.post(reverse("trajectories:plan-agree", args=[world.own.pk, v1.pk]),
                            {"agreed_on": TODAY.isoformat(), "how": "gesprek"})
    html = response.content.decode()
    assert response.status_code == 409
    assert f"gewijzigd door {world.colleague}" in html and "Het akkoord is niet vastgelegd" in html
    # The page now shows version 2, with the agreement form for it.
    v2 = Plan.objects.get(version=2)
    assert reverse("trajectories:plan-agree", args=[world.own.pk, v2.pk]) in html
    assert not Plan.objects.filter(agreed_on__isnull=False).exists()


# --- Two API clients -----------------------------------------------------------------------------------------------


def api_body(agreements, based_on_version):
    return {"goals": [{"description": "Werk in de zorg", "due_on": LATER.isoformat()}], "agreements": agreements,
            "based_on_version": based_on_version}


def test_the_api_answers_409_problem_details_to_a_stale_save(world, api_login):
    save(world)
    first, second = api_login(world.users["klantmanager"]), api_login(world.colleague)
    url = reverse("api:client-plans-list", kwargs={"client_pk": world.own.pk})
    base = second.get(url).json()["results"][0]["version"]
    assert first.post(url, api_body(["Elke week bellen."], base)).json()["version"] == 2

    response = second.post(url, api_body(["Cv bijwerken."], base))
    problem = response.json()
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    assert problem["code"] == "plan_conflict" and problem["status"] == 409
    assert (problem["basedOnVersion"], problem["currentVersion"], problem["changedBy"]) == (
        1, 2, str(world.users["klantmanager"]))
    assert problem["currentId"] == Plan.objects.get(version=2).pk and "based_on_version=2" in problem["detail"]
    assert Plan.objects.count() == 2

    response = second.post(url, api_body(["Elke week bellen.", "Cv bijwerken."], problem["currentVersion"]))
    assert response.status_code == 201 and response.json()["version"] == 3
    assert agreements_of(Plan.objects.get(version=3)) == ["Elke week bellen.", "Cv bijwerken."]


@pytest.mark.parametrize(("based_on_version", "status", "field"), [
    ("absent", 400, "based_on_version"),  # required: a client that does not lock cannot save at all
    (None, 409, None),  # "this is the first plan", but there is one
    (5, 400, "based_on_version"),  # a version that does not exist
    (0, 400, "based_on_version"),
])
def test_the_api_requires_a_base_version(world, api_login, based_on_version, status, field):
    save(world)
    url = reverse("api:client-plans-list", kwargs={"client_pk": world.own.pk})
    body = api_body([], based_on_version)
    if based_on_version == "absent":
        del body["based_on_version"]
    response = api_login(world.users["klantmanager"]).post(url, body)
    assert response.status_code == status, response.content
    if field:
        assert [p["name"] for p in response.json()["invalidParams"]] == [field]
    assert Plan.objects.count() == 1


def test_the_api_refuses_an_agreement_to_an_outdated_version(world, api_login):
    v1 = save(world)
    save(world)
    url = reverse("api:client-plans-agreement", kwargs={"client_pk": world.own.pk, "pk": v1.pk})
    response = api_login(world.users["klantmanager"]).post(url, {"agreed_on": TODAY.isoformat(), "how": "gesprek"})
    assert response.status_code == 409 and response.json()["currentVersion"] == 2
    v1.refresh_from_db()
    assert v1.agreed_on is None


# --- A real race on PostgreSQL -------------------------------------------------------------------------------------


def race(world, based_on_version, monkeypatch) -> list:
    """Two connections save on the same base at the same moment. Creating the version is slowed down so that the
    second one arrives while the first still holds its transaction open."""
    create = services._create_version

    def slow_create(*args):
        time.sleep(0.3)
        return create(*args)

    monkeypatch.setattr(services, "_create_version", slow_create)
    start, outcomes = threading.Barrier(2), []

    def attempt(user, text):
        try:
            start.wait()
            outcomes.append(services.save_plan(
                client=world.own, by=user, based_on_version=based_on_version,
                plan=PlanInput(goals=[GoalInput(description="Werk", due_on=LATER)], agreements=[text])))
        except services.PlanConflict as conflict:
            outcomes.append(conflict)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user, text)) for user, text in
               ((world.users["klantmanager"], "Van de klantmanager."), (world.colleague, "Van de collega."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


pg_only = pytest.mark.skipif(connection.vendor != "postgresql",
                             reason="needs concurrent connections; SQLite serialises all writes anyway "
                                    "(make test runs this on PostgreSQL)")


@pg_only
# serialized_rollback: the data migrations' rows are there even after an earlier transactional test emptied the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("existing_versions", [1, 0])
def test_two_connections_racing_on_the_same_version_exactly_one_wins(world, monkeypatch, existing_versions):
    for _ in range(existing_versions):
        save(world)
    base = existing_versions or None
    outcomes = race(world, base, monkeypatch)
    saved = [o for o in outcomes if isinstance(o, Plan)]
    conflicts = [o for o in outcomes if isinstance(o, services.PlanConflict)]
    assert (len(saved), len(conflicts)) == (1, 1), outcomes
    assert conflicts[0].latest.pk == saved[0].pk and conflicts[0].based_on_version == base
    assert list(Plan.objects.filter(client=world.own).order_by("version").values_list("version", flat=True)) == (
        list(range(1, existing_versions + 2)))
    assert agreements_of(Plan.objects.get(client=world.own, version=existing_versions + 1)) == (
        agreements_of(saved[0]))


@pg_only
# serialized_rollback: the data migrations' rows are there even after an earlier transactional test emptied the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agreement_racing_a_new_version_is_never_recorded_on_an_outdated_one(world, monkeypatch):
    v1 = save(world)
    create = services._create_version
    start = threading.Barrier(2)
    outcomes = {}

    def slow_create(*args):
        time.sleep(0.3)
        return create(*args)

    monkeypatch.setattr(services, "_create_version", slow_create)

    def new_version():
        try:
            start.wait()
            outcomes["save"] = services.save_plan(client=world.own, by=world.colleague, plan=a_plan(),
                                                  based_on_version=1)
        finally:
            connection.close()

    def agree():
        try:
            start.wait()
            time.sleep(0.1)  # the save takes the lock first
            outcomes["agree"] = services.record_agreement(plan=v1, by=world.users["klantmanager"], agreed_on=TODAY,
                                                          how="gesprek")
        except services.PlanConflict as conflict:
            outcomes["agree"] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=new_version), threading.Thread(target=agree)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert isinstance(outcomes["save"], Plan) and isinstance(outcomes["agree"], services.PlanConflict)
    v1.refresh_from_db()
    assert v1.agreed_on is None
