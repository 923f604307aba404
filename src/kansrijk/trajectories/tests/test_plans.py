"""The plan van aanpak: versions, the rules for goals, actions and agreements, the client's agreement, who may read
and write it, the web form (empty rows, renumbering, errors next to the row), the API and the printable PDF."""

import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kansrijk.accounts.roles import Role
from kansrijk.audit.models import AccessLog
from kansrijk.trajectories import selectors, services
from kansrijk.trajectories.models import Plan, PlanAction, PlanGoal
from kansrijk.trajectories.pdf import render_plan
from kansrijk.trajectories.services import ActionInput, GoalInput, PlanInput

TODAY = timezone.localdate()
LATER = TODAY + timedelta(days=90)


def a_plan(**extra) -> PlanInput:
    values = {
        "situation": "Drie jaar in de bijstand; wil graag weer aan het werk.",
        "ambition": "Een baan in de zorg, 24 uur per week.",
        "goals": [GoalInput(description="Werk in de zorg", target="24 uur per week", due_on=LATER),
                  GoalInput(description="Diploma helpende zorg", kind="leerdoel", due_on=LATER),
                  GoalInput(description="Intake bij de opleiding", kind="subdoel", parent=2,
                            due_on=TODAY + timedelta(days=14))],
        "actions": [ActionInput(description="Aanmelden bij de opleiding", owner="client",
                                due_on=TODAY + timedelta(days=7), goal=2),
                    ActionInput(description="Kinderopvang regelen", owner="klantmanager", owner_name="Karin",
                                due_on=TODAY + timedelta(days=10))],
        "agreements": ["We zien elkaar elke twee weken."],
    }
    values.update(extra)
    return PlanInput(**values)


def save(world, **extra):
    latest = selectors.latest_plan(world.own)
    return services.save_plan(client=world.own, by=world.users["klantmanager"], plan=a_plan(**extra),
                              based_on_version=latest.version if latest else None)


# --- Services ---------------------------------------------------------------------------------------------------


def test_a_plan_is_saved_with_its_goals_subgoals_actions_and_agreements(world):
    plan = save(world)
    assert plan.version == 1 and plan.previous is None and plan.created_by == world.users["klantmanager"]
    goals = {goal.position: goal for goal in plan.goals.all()}
    assert goals[3].parent == goals[2] and goals[1].target == "24 uur per week"
    assert [a.goal.position if a.goal else None for a in plan.actions.all()] == [2, None]
    assert [a.text for a in plan.agreements.all()] == ["We zien elkaar elke twee weken."]


def test_every_save_is_a_new_version_and_the_old_one_stays(world):
    first = save(world)
    second = save(world, agreements=["Elke week contact."])
    assert (second.version, second.previous) == (2, first)
    first.refresh_from_db()
    assert [a.text for a in first.agreements.all()] == ["We zien elkaar elke twee weken."]
    assert [p.version for p in selectors.plan_versions(world.own)] == [2, 1]


def test_a_version_based_on_an_older_one_is_refused(world):
    first = save(world)
    save(world)
    with pytest.raises(services.PlanConflict) as conflict:
        services.save_plan(client=world.own, by=world.users["klantmanager"], plan=a_plan(),
                           based_on_version=first.version)
    assert (conflict.value.based_on_version, conflict.value.latest.version) == (1, 2)
    assert Plan.objects.count() == 2


@pytest.mark.parametrize(("plan", "errors"), [
    (dict(goals=[]), {"goals"}),
    (dict(goals=[GoalInput(description="Alleen een subdoel", kind="subdoel", parent=1)]),
     {"goals", "goals[0].parent"}),
    (dict(goals=[GoalInput(description="Werk", due_on=None)]), {"goals[0].due_on"}),
    (dict(goals=[GoalInput(description=" ", due_on=LATER)]), {"goals[0].description"}),
    (dict(goals=[GoalInput(description="Werk", due_on=LATER, parent=1)]), {"goals[0].parent"}),
    (dict(goals=[GoalInput(description="Werk", due_on=LATER),
                 GoalInput(description="Stap", kind="subdoel", parent=3)]), {"goals[1].parent"}),
    (dict(goals=[GoalInput(description="Werk", due_on=LATER), GoalInput(description="x", kind="hobby")]),
     {"goals[1].kind"}),
    (dict(actions=[ActionInput(description="", owner="niemand", due_on=None, goal=9)]),
     {"actions[0].description", "actions[0].owner", "actions[0].due_on", "actions[0].goal"}),
    (dict(agreements=["Goed", "  "]), {"agreements[1]"}),
])
def test_plan_rules(world, plan, errors):
    with pytest.raises(ValidationError) as error:
        save(world, **{"actions": [], **plan})
    assert set(error.value.message_dict) == errors
    assert not Plan.objects.exists() and not PlanGoal.objects.exists() and not PlanAction.objects.exists()


def test_a_learning_goal_needs_no_date(world):
    plan = save(world, goals=[GoalInput(description="Beter Nederlands spreken", kind="leerdoel")], actions=[])
    assert plan.goals.get().due_on is None


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.KLANTMANAGER])
def test_only_the_client_manager_writes_plans(world, role):
    with pytest.raises(PermissionDenied):
        services.save_plan(client=world.own, by=world.users[role], plan=a_plan(), based_on_version=None)


def test_no_plan_for_a_client_outside_scope(world):
    with pytest.raises(PermissionDenied):
        services.save_plan(client=world.other_team_client, by=world.users["klantmanager"], plan=a_plan(),
                           based_on_version=None)


def test_agreement_is_recorded_once_on_the_latest_version(world):
    first = save(world)
    manager = world.users["klantmanager"]
    services.record_agreement(plan=first, by=manager, agreed_on=TODAY, how="handtekening", note="Op kantoor")
    first.refresh_from_db()
    assert (first.agreed_on, first.agreed_how, first.agreement_note) == (TODAY, "handtekening", "Op kantoor")
    with pytest.raises(ValidationError, match="al akkoord"):
        services.record_agreement(plan=first, by=manager, agreed_on=TODAY, how="gesprek")
    second = save(world)
    with pytest.raises(services.PlanConflict):
        services.record_agreement(plan=_unagreed(first), by=manager, agreed_on=TODAY, how="gesprek")
    with pytest.raises(ValidationError) as error:
        services.record_agreement(plan=second, by=manager, agreed_on=TODAY + timedelta(days=1), how="duim")
    assert set(error.value.message_dict) == {"agreed_on", "how"}
    with pytest.raises(ValidationError, match="voor de datum"):
        services.record_agreement(plan=second, by=manager, agreed_on=TODAY - timedelta(days=3), how="gesprek")
    with pytest.raises(PermissionDenied):
        services.record_agreement(plan=second, by=world.users["teamleider"], agreed_on=TODAY, how="gesprek")


def _unagreed(plan):
    """An older version that was never agreed to: the agreement must go to the newest version instead."""
    Plan.objects.filter(pk=plan.pk).update(agreed_on=None, agreed_how="")
    plan.refresh_from_db()
    return plan


# --- Web pages ----------------------------------------------------------------------------------------------------


def form_data(goals=(), actions=(), agreements=(), based_on_version=""):
    data = {"situation": "Wil werken.", "ambition": "Een baan.", "based_on_version": based_on_version}
    for prefix, rows, total in (("doel", goals, 4), ("actie", actions, 4), ("afspraak", agreements, 4)):
        data.update({f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "30"})
        for index, row in enumerate(rows):
            if row is None:
                continue
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    for index in range(4):
        data.setdefault(f"doel-{index}-kind", "doel")
    return data


def test_writing_a_plan_in_the_browser_skips_empty_rows_and_renumbers(world, login):
    browser = login(world.users["klantmanager"])
    url = reverse("trajectories:plan-edit", args=[world.own.pk])
    assert browser.get(url).status_code == 200
    data = form_data(
        goals=[{"description": "Werk in de zorg", "due_on": LATER.isoformat(), "target": "24 uur"}, None,
               {"description": "Intake opleiding", "kind": "subdoel", "parent": "1"}],
        actions=[None, {"description": "Aanmelden", "owner": "client", "due_on": LATER.isoformat(), "goal": "3"}],
        agreements=[{"text": "Elke twee weken een gesprek."}])
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get()
    goals = list(plan.goals.all())
    # The empty second row was skipped: "Intake opleiding" is now goal 2, and the action points to it.
    assert [(g.position, g.description, g.parent.position if g.parent else None) for g in goals] == [
        (1, "Werk in de zorg", None), (2, "Intake opleiding", 1)]
    assert plan.actions.get().goal.position == 2
    html = browser.get(reverse("trajectories:plan", args=[world.own.pk])).content.decode()
    assert "Werk in de zorg" in html and "Elke twee weken een gesprek." in html
    assert "De cliënt is nog niet akkoord gegaan." in html
    assert set(AccessLog.objects.values_list("view", flat=True)) == {"plan_bewerken", "plan"}


def test_errors_are_shown_next_to_the_row_and_nothing_is_saved(world, login):
    browser = login(world.users["klantmanager"])
    data = form_data(goals=[{"description": "Werk"}],
                     actions=[{"description": "Bellen", "owner": "", "due_on": "morgen"}])
    response = browser.post(reverse("trajectories:plan-edit", args=[world.own.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400 and "Vul een geldige datum in." in html
    data["actie-0-due_on"] = LATER.isoformat()
    response = browser.post(reverse("trajectories:plan-edit", args=[world.own.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Doel 1, Bereikt op: Een doel heeft een datum: wanneer is het bereikt?" in html
    assert "Actie 1, Wie: Kies wie het doet." in html
    assert not Plan.objects.exists()


def test_a_new_version_starts_from_the_latest_and_the_client_agrees(world, login):
    first = save(world)
    browser = login(world.users["klantmanager"])
    html = browser.get(reverse("trajectories:plan-edit", args=[world.own.pk])).content.decode()
    assert "Werk in de zorg" in html and "Versie 2 van het plan" in html
    assert 'name="based_on_version" value="1"' in html
    response = browser.post(reverse("trajectories:plan-agree", args=[world.own.pk, first.pk]),
                            {"agreed_on": TODAY.isoformat(), "how": "gesprek"})
    assert response.status_code == 302
    html = browser.get(reverse("trajectories:plan", args=[world.own.pk])).content.decode()
    assert "De cliënt is akkoord gegaan op" in html and "Akkoord van de cliënt vastleggen" not in html
    response = browser.post(reverse("trajectories:plan-agree", args=[world.own.pk, first.pk]),
                            {"agreed_on": TODAY.isoformat(), "how": "gesprek"})
    assert response.status_code == 400 and "al akkoord" in response.content.decode()


def test_older_versions_stay_readable(world, login):
    save(world)
    save(world, agreements=["Nieuwe afspraak"])
    browser = login(world.users["teamleider"])
    html = browser.get(reverse("trajectories:plan", args=[world.own.pk]) + "?versie=1").content.decode()
    assert "Dit is een oudere versie; de nieuwste is versie 2." in html
    assert "We zien elkaar elke twee weken." in html and "Nieuwe afspraak" not in html
    assert "Nieuwe versie maken" not in html  # the team lead reads, the client manager writes


@pytest.mark.parametrize(("role", "status"), [
    ("klantmanager", 200), ("teamleider", 200), ("wijkteammedewerker", 403), ("beheerder", 403),
    ("aanbieder", 403)])
def test_who_reads_plans(world, login, role, status):
    save(world)
    assert login(world.users[role]).get(reverse("trajectories:plan", args=[world.own.pk])).status_code == status


def test_a_plan_of_a_client_outside_scope_is_not_found(world, login):
    browser = login(world.users["klantmanager"])
    for client in (world.other_team_client, world.other_muni_client):
        assert browser.get(reverse("trajectories:plan", args=[client.pk])).status_code == 404
    plan = save(world)
    # The plan id of one client does not open under another.
    assert browser.get(reverse("trajectories:plan-pdf", args=[world.teammate.pk, plan.pk])).status_code == 404


def test_plan_page_query_count_does_not_grow_with_the_plan(world, login):
    browser = login(world.users["klantmanager"])
    counts = []
    for goals in (1, 8):
        Plan.objects.all().delete()
        save(world, goals=[GoalInput(description=f"Doel {n}", due_on=LATER) for n in range(goals)],
             actions=[ActionInput(description=f"Actie {n}", owner="client", due_on=LATER, goal=n + 1)
                      for n in range(goals)])
        with CaptureQueriesContext(connection) as queries:
            browser.get(reverse("trajectories:plan", args=[world.own.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The printable plan -------------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_is_plain_dutch_for_the_client(world, login):
    world.own.given_names, world.own.family_name = "Zoë", "Kamiński"
    world.own.save()
    plan = save(world)
    response = login(world.users["klantmanager"]).get(reverse("trajectories:plan-pdf",
                                                              args=[world.own.pk, plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("Plan van aanpak voor Zoë Kamiński", "Wat wil je bereiken?", "Een baan in de zorg",
                     "Doel 1: Werk in de zorg", "Hoeveel: 24 uur per week", "Leerdoel 2: Diploma helpende zorg",
                     "Stap 3: Intake bij de opleiding", "Wie doet wat, en wanneer?", "Kinderopvang regelen",
                     "Klantmanager (Karin)", "We zien elkaar elke twee weken.", "Handtekening cliënt"):
        assert expected in text, expected
    assert AccessLog.objects.filter(view="plan_pdf", client=world.own).count() == 1
    services.record_agreement(plan=plan, by=world.users["klantmanager"], agreed_on=TODAY, how="digitaal")
    plan.refresh_from_db()
    text = pdf_text(render_plan(plan))
    assert "akkoord gegaan met dit plan (digitaal bevestigd)" in text and "Handtekening" not in text


# --- API ----------------------------------------------------------------------------------------------------------


def test_plans_through_the_api(world, api_login):
    manager = api_login(world.users["klantmanager"])
    url = reverse("api:client-plans-list", kwargs={"client_pk": world.own.pk})
    body = {"situation": "Wil werken.", "goals": [
        {"description": "Werk in de zorg", "due_on": LATER.isoformat(), "target": "24 uur"},
        {"description": "Intake", "kind": "subdoel", "parent": 1}],
        "actions": [{"description": "Aanmelden", "owner": "client", "due_on": LATER.isoformat(), "goal": 1}],
        "agreements": ["Elke twee weken."]}
    response = manager.post(url, {**body, "based_on_version": None})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["version"] == 1 and created["goals"][1]["parent"] == 1 and created["actions"][0]["goal"] == 1
    # Every save must say which version it builds on (null only for the first plan).
    response = manager.post(url, body)
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "based_on_version"
    response = manager.post(url, {**body, "based_on_version": created["version"]})
    assert response.status_code == 201 and response.json()["version"] == 2
    assert [p["version"] for p in manager.get(url).json()["results"]] == [2, 1]

    detail = reverse("api:client-plans-agreement", kwargs={"client_pk": world.own.pk, "pk": response.json()["id"]})
    assert manager.post(detail, {"agreed_on": TODAY.isoformat(), "how": "gesprek"}).json()["agreed_how"] == "gesprek"
    pdf = manager.get(reverse("api:client-plans-pdf", kwargs={"client_pk": world.own.pk, "pk": created["id"]}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = manager.post(url, {"goals": [{"description": "", "kind": "doel"}], "based_on_version": 2})
    assert bad.status_code == 400
    names = {p["name"] for p in bad.json()["invalidParams"]}
    assert names == {"goals[0].description", "goals[0].due_on"}
    assert api_login(world.users["teamleider"]).post(url, {**body, "based_on_version": 2}).status_code == 403
    assert api_login(world.users["wijkteammedewerker"]).get(url).status_code == 403
    other = reverse("api:client-plans-list", kwargs={"client_pk": world.other_team_client.pk})
    assert manager.get(other).status_code == 404


def test_stats_count_plans(world):
    save(world)
    save(world)
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    assert json.loads(out.getvalue())["plans"] == 2


def test_the_pdf_is_dutch_also_for_a_user_working_in_english(world):
    from django.utils import translation

    plan = save(world)
    with translation.override("en"):
        text = pdf_text(render_plan(plan))
    month = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december"][LATER.month - 1]
    assert f"Klaar op: {LATER.day} {month} {LATER.year}" in text and "Gedaan" in text
