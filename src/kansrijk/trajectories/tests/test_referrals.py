"""Referrals to providers and trajectories to the end: the services' rules, who sees what (a provider only its own
referrals and only the shared snapshot), access records, fixed query counts, the web pages and the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kansrijk.audit.models import AccessLog
from kansrijk.diagnosis.models import LadderMeasurement
from kansrijk.trajectories import selectors, services
from kansrijk.trajectories.codes import ReferralStatus, TrajectoryStatus
from kansrijk.trajectories.models import AftercareTask, Referral, Trajectory, TrajectoryReport
from kansrijk.trajectories.services import GoalProgressInput, ReportInput

from .factories import TODAY, accepted, delivery, refer, team_client
from .test_plans import save as save_plan


@pytest.fixture
def setup(world):
    return delivery(world)


def report(kind="voortgang", day=None, **extra):
    return ReportInput(kind=kind, reported_on=day or TODAY - timedelta(days=1), **extra)


def started(world, setup, **kwargs):
    trajectory = accepted(world, setup, **kwargs)
    provider = world.users["aanbieder"]
    services.record_report(trajectory=trajectory, by=provider, report=report("intake", TODAY - timedelta(days=20)))
    services.record_report(trajectory=trajectory, by=provider, report=report("start", TODAY - timedelta(days=15)))
    trajectory.refresh_from_db()
    return trajectory


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Referral ---------------------------------------------------------------------------------------------------


def test_referral_shares_exactly_the_ticked_items_and_never_special_categories(world, setup):
    plan = save_plan(world)
    goal = plan.goals.get(position=1)
    referral = refer(world, setup, items=["naam", "geboortejaar"], goals=[goal.pk])
    assert referral.status == ReferralStatus.VERWEZEN
    shared = referral.shared
    assert shared["naam"] == "Anna Jansen" and shared["geboortejaar"] == world.own.birth_year
    assert [g["id"] for g in shared["doelen"]] == [goal.pk] and shared["plan_versie"] == 1
    assert "doelen" in shared["gedeeld"]  # choosing goals shares them
    text = str(shared)
    for secret in ("Rugklachten", "Alcohol", "niet_westers", world.own.bsn):
        assert secret not in text
    assert "trede" not in shared and "belastbaarheid_uren_per_week" not in shared


def test_referral_needs_a_question_a_provider_of_the_municipality_and_goals_of_the_latest_plan(world, setup):
    setup.other_provider.municipalities.set([world.other_muni])
    old_goal = save_plan(world).goals.first()
    save_plan(world)  # a newer version: the old goal is no longer current
    with pytest.raises(ValidationError) as excinfo:
        services.refer(client=world.own, by=world.users["klantmanager"], approach=setup.approach,
                       provider=setup.other_provider, question="  ", shared_items=["naam", "doelen"],
                       goal_ids=[old_goal.pk])
    errors = errors_of(excinfo)
    assert "Schrijf op wat u de aanbieder vraagt" in errors["question"][0]
    assert "werkt niet (meer) voor de gemeente" in errors["provider"][0]
    assert "nieuwste plan van aanpak" in errors["goals"][0]
    assert not Referral.objects.exists()


def test_sharing_goals_needs_chosen_goals_and_unknown_items_are_refused(world, setup):
    with pytest.raises(ValidationError) as excinfo:
        refer(world, setup, items=["naam", "doelen"])
    assert "Kies welke doelen" in errors_of(excinfo)["goals"][0]
    with pytest.raises(ValidationError) as excinfo:
        refer(world, setup, items=["naam", "gezondheid"])
    assert "gezondheid" in errors_of(excinfo)["shared_items"][0]


def test_a_second_open_referral_to_the_same_provider_and_approach_is_refused(world, setup):
    refer(world, setup)
    with pytest.raises(ValidationError) as excinfo:
        refer(world, setup)
    assert "terugmelding is nog niet binnen" in errors_of(excinfo)["provider"][0]


@pytest.mark.parametrize("who", ["teamleider", "wijkteammedewerker", "aanbieder", "collega"])
def test_only_the_client_manager_in_scope_refers(world, setup, who):
    user = world.colleague if who == "collega" else world.users[who]
    client = world.other_team_client if who == "collega" else world.own
    with pytest.raises(PermissionDenied):
        services.refer(client=client, by=user, approach=setup.approach, provider=setup.provider, question="x",
                       shared_items=["naam"])


# --- Terugmelding -------------------------------------------------------------------------------------------------


def test_accepting_makes_a_trajectory_with_the_approach_srg_category_and_twice_is_refused(world, setup):
    trajectory = accepted(world, setup)
    assert trajectory.status == TrajectoryStatus.AANGEMELD
    assert trajectory.srg_provision == "participatieplaats"
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.GEACCEPTEERD and referral.answered_by == world.users["aanbieder"]
    with pytest.raises(ValidationError) as excinfo:
        services.accept_referral(referral=referral, by=world.users["aanbieder"])
    assert "al geaccepteerd" in errors_of(excinfo)["status"][0]
    with pytest.raises(ValidationError):
        services.decline_referral(referral=referral, by=world.users["aanbieder"], reason="geen_plaats")
    assert Trajectory.objects.count() == 1


def test_only_the_referred_provider_answers(world, setup):
    referral = refer(world, setup)
    for user in (setup.other_provider_user, world.users["klantmanager"]):
        with pytest.raises(PermissionDenied):
            services.accept_referral(referral=referral, by=user)
        with pytest.raises(PermissionDenied):
            services.decline_referral(referral=referral, by=user, reason="geen_plaats")


def test_a_decline_needs_a_reason_and_other_needs_an_explanation(world, setup):
    referral = refer(world, setup)
    provider = world.users["aanbieder"]
    with pytest.raises(ValidationError) as excinfo:
        services.decline_referral(referral=referral, by=provider, reason="")
    assert "Kies de reden" in errors_of(excinfo)["reason"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.decline_referral(referral=referral, by=provider, reason="overig")
    assert "Licht de reden toe" in errors_of(excinfo)["note"][0]
    declined = services.decline_referral(referral=referral, by=provider, reason="geen_plaats",
                                         note="Over drie maanden opnieuw aanmelden.")
    assert declined.status == ReferralStatus.AFGEWEZEN and declined.answered_on == TODAY
    assert not Trajectory.objects.exists()


def test_the_client_manager_withdraws_an_unanswered_referral_only(world, setup):
    referral = refer(world, setup)
    services.withdraw_referral(referral=referral, by=world.users["klantmanager"], note="Cliënt verhuist.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.INGETROKKEN
    with pytest.raises(ValidationError):
        services.withdraw_referral(referral=referral, by=world.users["klantmanager"])


# --- Reports, pauses, end -----------------------------------------------------------------------------------------


def test_intake_and_start_reports_set_the_dates_and_the_start_makes_it_run(world, setup):
    trajectory = started(world, setup)
    assert trajectory.intake_on == TODAY - timedelta(days=20) and trajectory.start_on == TODAY - timedelta(days=15)
    assert trajectory.status == TrajectoryStatus.LOPEND
    with pytest.raises(ValidationError) as excinfo:
        services.record_report(trajectory=trajectory, by=world.users["aanbieder"], report=report("start"))
    assert "De start is al vastgelegd" in errors_of(excinfo)["kind"][0]


def test_start_before_intake_and_impossible_attendance_are_refused(world, setup):
    trajectory = accepted(world, setup)
    provider = world.users["aanbieder"]
    services.record_report(trajectory=trajectory, by=provider, report=report("intake", TODAY - timedelta(days=5)))
    with pytest.raises(ValidationError) as excinfo:
        services.record_report(trajectory=trajectory, by=provider, report=report("start", TODAY - timedelta(days=9)))
    assert "De start ligt vóór de intake" in errors_of(excinfo)["reported_on"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.record_report(trajectory=trajectory, by=provider,
                               report=report("aanwezigheid", sessions_planned=4, sessions_attended=5))
    assert "niet meer afspraken" in errors_of(excinfo)["sessions_attended"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.record_report(trajectory=trajectory, by=provider, report=report("voortgang"))
    assert "zonder inhoud" in errors_of(excinfo)["text"][0]


def test_progress_is_reported_on_shared_goals_and_the_ladder_advice_changes_no_ladder(world, setup):
    plan = save_plan(world)
    shared, not_shared = plan.goals.get(position=1), plan.goals.get(position=2)
    trajectory = started(world, setup, goals=[shared.pk])
    provider = world.users["aanbieder"]
    with pytest.raises(ValidationError) as excinfo:
        services.record_report(trajectory=trajectory, by=provider, report=report(
            goals=[GoalProgressInput(goal=not_shared.pk, status="op_koers")]))
    assert "niet met de aanbieder gedeeld" in errors_of(excinfo)["goals[0].goal"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.record_report(trajectory=trajectory, by=provider, report=report(text="Goed bezig", advised_trede=4))
    assert "Onderbouw het advies" in errors_of(excinfo)["advice_reason"][0]
    ladders = LadderMeasurement.objects.count()
    saved = services.record_report(trajectory=trajectory, by=provider, report=report(
        sessions_planned=8, sessions_attended=7, advised_trede=4, advice_reason="Werkt zelfstandig.",
        goals=[GoalProgressInput(goal=shared.pk, status="op_koers", note="Drie sollicitaties")]))
    assert [(g.goal_id, g.status) for g in saved.goal_progress.all()] == [(shared.pk, "op_koers")]
    assert LadderMeasurement.objects.count() == ladders
    # The client manager may also report on a goal of the latest plan that was not shared.
    services.record_report(trajectory=trajectory, by=world.users["klantmanager"], report=report(
        goals=[GoalProgressInput(goal=not_shared.pk, status="achter")]))


def test_pauses_may_not_overlap_and_an_open_pause_is_resumed(world, setup):
    trajectory = started(world, setup)
    provider = world.users["aanbieder"]
    services.pause_trajectory(trajectory=trajectory, by=provider, starts_on=TODAY - timedelta(days=10),
                              reason="ziekenhuis")
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.GEPAUZEERD
    with pytest.raises(ValidationError) as excinfo:
        services.pause_trajectory(trajectory=trajectory, by=provider, starts_on=TODAY - timedelta(days=3),
                                  until=TODAY, reason="ziekte")
    assert "overlapt" in errors_of(excinfo)["starts_on"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.resume_trajectory(trajectory=trajectory, by=provider, until=TODAY - timedelta(days=12))
    assert "kan niet eerder liggen" in errors_of(excinfo)["until"][0]
    services.resume_trajectory(trajectory=trajectory, by=provider, until=TODAY - timedelta(days=2))
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.LOPEND
    with pytest.raises(ValidationError) as excinfo:
        services.pause_trajectory(trajectory=trajectory, by=provider, starts_on=TODAY, until=TODAY - timedelta(1),
                                  reason="ziekte")
    assert "vóór het begin" in errors_of(excinfo)["until"][0]


def test_ending_checks_dates_and_drop_out_and_then_no_more_reports(world, setup):
    trajectory = started(world, setup)
    provider = world.users["aanbieder"]
    services.pause_trajectory(trajectory=trajectory, by=provider, starts_on=TODAY - timedelta(days=5),
                              reason="ziekte")
    with pytest.raises(ValidationError) as excinfo:
        services.end_trajectory(trajectory=trajectory, by=provider, end_on=TODAY - timedelta(days=16),
                                reason="uitval", result="geen_resultaat", note="Gestopt")
    errors = errors_of(excinfo)
    assert "vóór de start" in errors["end_on"][0] and "reden van de uitval" in errors["dropout_reason"][0]
    ended = services.end_trajectory(trajectory=trajectory, by=provider, end_on=TODAY, reason="uitval",
                                    dropout_reason="motivatie", result="geen_resultaat", note="Niet meer gekomen.")
    assert ended.status == TrajectoryStatus.BEEINDIGD and ended.dropout_reason == "motivatie"
    assert ended.pauses.get().until == TODAY  # the open pause ends with the trajectory
    assert ended.reports.filter(kind="eind").exists()
    assert not AftercareTask.objects.exists()  # no outflow, no aftercare
    with pytest.raises(ValidationError) as excinfo:
        services.record_report(trajectory=ended, by=provider, report=report(text="nog iets"))
    assert "beëindigd" in errors_of(excinfo)["kind"][0]
    with pytest.raises(ValidationError):
        services.end_trajectory(trajectory=ended, by=provider, end_on=TODAY, reason="doel_bereikt",
                                result="ladder_omhoog")


def test_the_clients_mark_is_on_the_trajectory_page(world, setup, login):
    trajectory = started(world, setup)
    services.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"], end_on=TODAY,
                            reason="doel_bereikt", result="ladder_omhoog", satisfaction=8)
    for who in ("klantmanager", "aanbieder"):
        page = login(world.users[who]).get(reverse("referrals:trajectory-detail", args=[trajectory.pk]))
        assert "Rapportcijfer van de cliënt (1–10)</dt><dd>8</dd>" in page.content.decode()


def test_outflow_to_work_schedules_aftercare_which_the_client_manager_records(world, setup, settings):
    settings.KANSRIJK_NAZORG_MONTHS = (1, 3, 6)
    trajectory = started(world, setup)
    services.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"], end_on=TODAY,
                            reason="werk_gevonden", result="werk_lks")
    tasks = list(AftercareTask.objects.order_by("due_on"))
    assert [t.months_after for t in tasks] == [1, 3, 6]
    assert tasks[0].due_on == services.add_months(TODAY, 1) and tasks[0].trajectory == trajectory
    with pytest.raises(PermissionDenied):
        services.complete_aftercare(task=tasks[0], by=world.users["aanbieder"], outcome="contact")
    with pytest.raises(ValidationError) as excinfo:
        services.complete_aftercare(task=tasks[0], by=world.users["klantmanager"], outcome="contact_zorg")
    assert "welke zorg" in errors_of(excinfo)["note"][0]
    services.complete_aftercare(task=tasks[0], by=world.users["klantmanager"], outcome="contact")
    with pytest.raises(ValidationError) as excinfo:
        services.complete_aftercare(task=tasks[0], by=world.users["klantmanager"], outcome="contact")
    assert "al vastgelegd" in errors_of(excinfo)["outcome"][0]


# --- Scope and access records -------------------------------------------------------------------------------------


def test_a_provider_sees_only_referrals_to_its_own_provider(world, setup, login):
    own = accepted(world, setup)
    other_referral = refer(world, setup, provider=setup.other_provider, client=world.teammate)
    other = services.accept_referral(referral=other_referral, by=setup.other_provider_user)
    provider = world.users["aanbieder"]
    assert list(selectors.referrals_visible_to(provider)) == [own.referral]
    web = login(provider)
    assert web.get(reverse("referrals:referral-detail", args=[other_referral.pk])).status_code == 404
    assert web.get(reverse("referrals:trajectory-detail", args=[other.pk])).status_code == 404
    assert web.post(reverse("referrals:trajectory-end", args=[other.pk]), {}).status_code == 404
    assert web.get(reverse("referrals:referral-detail", args=[own.referral.pk])).status_code == 200
    # Not the client page, nor the plan: only the referral's snapshot.
    assert web.get(reverse("caseload:client-detail", args=[world.own.pk])).status_code == 403
    assert web.get(reverse("trajectories:plan", args=[world.own.pk])).status_code == 403


def test_the_provider_page_shows_the_snapshot_and_not_the_file(world, setup, login):
    referral = refer(world, setup, items=["naam"])
    page = login(world.users["aanbieder"]).get(reverse("referrals:referral-detail", args=[referral.pk]))
    text = page.content.decode()
    assert "Anna Jansen" in text and "Begeleiding naar werk" in text
    for secret in (world.own.bsn, "Rugklachten", "Alcohol", "Geboortejaar"):
        assert secret not in text
    log = AccessLog.objects.get(user=world.users["aanbieder"])
    assert log.client_id == world.own.pk and log.view == "verwijzing" and not log.outside_caseload


def test_out_of_scope_client_managers_get_404(world, setup, login):
    trajectory = accepted(world, setup)
    other_muni_km = world.users["klantmanager"].__class__.objects.create(username="km-elders", role="klantmanager")
    other_muni_km.municipalities.set([world.other_muni])
    other_muni_km.teams.set([world.foreign_team])
    for user in (other_muni_km,):
        web = login(user)
        assert web.get(reverse("trajectories:client-trajectories", args=[world.own.pk])).status_code == 404
        assert web.get(reverse("referrals:referral-detail", args=[trajectory.referral.pk])).status_code == 404
        assert web.get(reverse("referrals:trajectory-detail", args=[trajectory.pk])).status_code == 404
    # A colleague in the same team reads (and logs) it; the team lead too.
    web = login(world.users["teamleider"])
    assert web.get(reverse("referrals:trajectory-detail", args=[trajectory.pk])).status_code == 200
    assert AccessLog.objects.filter(user=world.users["teamleider"], view="traject").count() == 1


def test_provider_home_lists_open_referrals_and_logs_each_client_once(world, setup, login):
    refer(world, setup)
    refer(world, setup, client=world.teammate)
    third = team_client(world)
    accepted(world, setup, client=third)
    refer(world, setup, provider=setup.other_provider, client=world.teammate)
    page = login(world.users["aanbieder"]).get(reverse("referrals:provider-home"))
    assert page.status_code == 200
    assert len(page.context["open_referrals"]) == 2 and len(page.context["running"]) == 1
    logged = AccessLog.objects.filter(user=world.users["aanbieder"], view="aanmeldingen")
    assert sorted(logged.values_list("client_id", flat=True)) == sorted(
        [world.own.pk, world.teammate.pk, third.pk])


def test_list_pages_use_a_fixed_number_of_queries(world, setup, login, django_assert_max_num_queries):
    refer(world, setup)
    started(world, setup, client=world.teammate)
    web = login(world.users["aanbieder"])
    with django_assert_max_num_queries(20) as few:
        web.get(reverse("referrals:provider-home"))
    refer(world, setup, client=team_client(world))
    for number in range(3):
        referral = refer(world, setup, client=world.teammate, provider=setup.provider, days_ago=3)
        services.withdraw_referral(referral=referral, by=world.users["klantmanager"])
        started(world, setup, client=team_client(world, number=f"60{number}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        web.get(reverse("referrals:provider-home"))
    km = login(world.users["klantmanager"])
    with django_assert_max_num_queries(25) as few:
        km.get(reverse("trajectories:client-trajectories", args=[world.own.pk]))
    services.decline_referral(referral=refer(world, setup, provider=setup.other_provider),
                              by=setup.other_provider_user, reason="geen_plaats")
    own_open = Referral.objects.get(client=world.own, status="verwezen", provider=setup.provider)
    trajectory = services.accept_referral(referral=own_open, by=world.users["aanbieder"])
    services.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"], end_on=TODAY,
                            reason="werk_gevonden", result="werk_regulier")
    with django_assert_max_num_queries(len(few.captured_queries)):
        km.get(reverse("trajectories:client-trajectories", args=[world.own.pk]))


# --- Web forms ----------------------------------------------------------------------------------------------------


def test_referral_form_explains_errors_in_dutch_and_refers(world, setup, login):
    web = login(world.users["klantmanager"])
    url = reverse("trajectories:referral-new", args=[world.own.pk])
    page = web.get(url)
    assert page.status_code == 200 and "nooit gedeeld" in page.content.decode()
    bad = web.post(url, {"local_offer": setup.offer.pk, "provider": setup.provider.pk, "question": ""})
    assert bad.status_code == 400 and "Schrijf op wat u de aanbieder vraagt" in bad.content.decode()
    good = web.post(url, {"local_offer": setup.offer.pk, "provider": setup.provider.pk, "question": "Werk vinden",
                          "shared_items": ["naam", "trede"]})
    assert good.status_code == 302
    referral = Referral.objects.get()
    assert referral.shared["gedeeld"] == ["naam", "trede"] and referral.approach == setup.approach


def test_provider_accepts_reports_and_ends_through_the_web(world, setup, login):
    referral = refer(world, setup)
    web = login(world.users["aanbieder"])
    bad = web.post(reverse("referrals:referral-decline", args=[referral.pk]), {"reason": "overig"})
    assert bad.status_code == 400 and "Licht de reden toe" in bad.content.decode()
    response = web.post(reverse("referrals:referral-accept", args=[referral.pk]),
                        {"accepted_on": TODAY.isoformat(), "srg_provision": "jobcoach"})
    trajectory = Trajectory.objects.get()
    assert response.status_code == 302 and trajectory.srg_provision == "jobcoach"
    url = reverse("referrals:trajectory-report", args=[trajectory.pk])
    assert web.post(url, {"kind": "intake", "reported_on": TODAY.isoformat()}).status_code == 302
    bad = web.post(reverse("referrals:trajectory-end", args=[trajectory.pk]),
                   {"end_on": (TODAY - timedelta(days=3)).isoformat(), "reason": "doel_bereikt",
                    "result": "ladder_omhoog"})
    assert bad.status_code == 400 and "vóór de acceptatie" in bad.content.decode()
    page = web.get(reverse("referrals:trajectory-detail", args=[trajectory.pk]))
    assert "Intake" in page.content.decode() and page.context["report_form"] is not None


# --- API ------------------------------------------------------------------------------------------------------------


def test_api_refers_answers_reports_and_ends(world, setup, api_login):
    plan = save_plan(world)
    goal = plan.goals.get(position=1)
    km = api_login(world.users["klantmanager"])
    created = km.post("/api/v1/referrals/", {
        "client": world.own.pk, "approach": setup.approach.pk, "local_offer": setup.offer.pk,
        "provider": setup.provider.pk, "question": "Werk", "shared_items": ["naam"], "goals": [goal.pk]})
    assert created.status_code == 201, created.json()
    referral_id = created.json()["id"]
    assert created.json()["shared"]["doelen"][0]["id"] == goal.pk
    provider = api_login(world.users["aanbieder"])
    declined = provider.post(f"/api/v1/referrals/{referral_id}/decline/", {"reason": "overig"})
    assert declined.status_code == 400 and declined["Content-Type"] == "application/problem+json"
    assert declined.json()["invalidParams"][0]["name"] == "note"
    answer = provider.post(f"/api/v1/referrals/{referral_id}/accept/", {})
    trajectory_id = answer.json()["trajectory"]
    assert answer.status_code == 200 and trajectory_id
    again = provider.post(f"/api/v1/referrals/{referral_id}/accept/", {})
    assert again.status_code == 400 and "al geaccepteerd" in again.json()["invalidParams"][0]["reason"]
    reported = provider.post(f"/api/v1/trajectories/{trajectory_id}/reports/", {
        "kind": "voortgang", "reported_on": TODAY.isoformat(), "sessions_planned": 4, "sessions_attended": 3,
        "goals": [{"goal": goal.pk, "status": "op_koers"}]})
    assert reported.status_code == 201, reported.json()
    assert reported.json()["reports"][0]["goals"][0]["goal"] == goal.pk
    paused = provider.post(f"/api/v1/trajectories/{trajectory_id}/pause/",
                           {"starts_on": TODAY.isoformat(), "reason": "ziekenhuis"})
    assert paused.status_code == 201
    ended = provider.post(f"/api/v1/trajectories/{trajectory_id}/end/", {
        "end_on": TODAY.isoformat(), "reason": "werk_gevonden", "result": "werk_regulier"})
    assert ended.status_code == 200 and ended.json()["status"] == "beeindigd"
    tasks = km.get("/api/v1/aftercare-tasks/?open=true").json()
    assert tasks["count"] == 3
    done = km.post(f"/api/v1/aftercare-tasks/{tasks['results'][0]['id']}/done/", {"outcome": "contact"})
    assert done.status_code == 200 and done.json()["outcome"] == "contact"


def test_api_scopes_providers_and_logs_reads(world, setup, api_login, django_assert_max_num_queries):
    own = accepted(world, setup)
    other = services.accept_referral(
        referral=refer(world, setup, provider=setup.other_provider, client=world.teammate),
        by=setup.other_provider_user)
    provider = api_login(world.users["aanbieder"])
    listed = provider.get("/api/v1/referrals/").json()
    assert [r["id"] for r in listed["results"]] == [own.referral.pk]
    assert provider.get(f"/api/v1/referrals/{other.referral.pk}/").status_code == 404
    assert provider.get(f"/api/v1/trajectories/{other.pk}/").status_code == 404
    missing = provider.post(f"/api/v1/trajectories/{other.pk}/end/", {})
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert provider.get("/api/v1/aftercare-tasks/").status_code == 403
    assert AccessLog.objects.filter(user=world.users["aanbieder"], view="api_verwijzingen").count() == 1
    km = api_login(world.users["klantmanager"])
    with django_assert_max_num_queries(15) as few:
        km.get("/api/v1/trajectories/")
    accepted(world, setup, client=team_client(world))
    started(world, setup, client=world.own)
    with django_assert_max_num_queries(len(few.captured_queries)):
        # The client manager sees every trajectory of the clients in scope, whichever the provider.
        assert len(km.get("/api/v1/trajectories/").json()["results"]) == 4
    assert km.get("/api/v1/referrals/?client=abc").status_code == 400


def test_stats_report_referrals_and_trajectories(world, setup):
    import io
    import json

    from django.core.management import call_command

    accepted(world, setup)
    refer(world, setup, client=world.teammate)
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["referrals"] == 2 and stats["trajectories"] == 1


def test_report_rows_stay_in_one_transaction_on_error(world, setup):
    trajectory = started(world, setup)
    before = TrajectoryReport.objects.count()
    with pytest.raises(ValidationError):
        services.record_report(trajectory=trajectory, by=world.users["aanbieder"], report=report(
            text="x", goals=[GoalProgressInput(goal=999999, status="op_koers")]))
    assert TrajectoryReport.objects.count() == before
