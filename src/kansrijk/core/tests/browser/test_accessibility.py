"""axe-core on every main page, as the role that uses it: no violation of impact serious or critical.

The pages are filled (a client with a diagnosis, a plan, a referral and a running trajectory; an employer with a
vacancy; an import with errors) so that tables, forms and error reports are checked, not empty shells."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kansrijk.accounts.models import RolePolicy
from kansrijk.caseload.models import Client
from kansrijk.diagnosis.models import Intake, LadderMeasurement, LadderStep
from kansrijk.inview.models import ContactRhythmRule
from kansrijk.matching.employers import services as employer_services
from kansrijk.matching.models import Employer
from kansrijk.trajectories import services as trajectory_services
from kansrijk.trajectories.services import GoalInput, PlanInput
from kansrijk.trajectories.tests.factories import accepted, delivery, refer, team_client

from .conftest import axe_violations, describe, log_in

TODAY = timezone.localdate()


@pytest.fixture
def filled(world):
    km = world.users["klantmanager"]
    Client.objects.filter(pk=world.own.pk).update(active_spell_start=TODAY - timedelta(days=900))
    ContactRhythmRule.objects.create(municipality=world.muni, name="Langdurig jaarlijks", interval_days=365,
                                     min_benefit_years=2)
    step = LadderStep.objects.filter(municipality__isnull=True, trede=3).first()
    LadderMeasurement.objects.create(client=world.own, measured_on=TODAY, measured_by=km, trede=3, step=step)
    Intake.objects.create(client=world.own, measured_on=TODAY, measured_by=km, hours_per_week=24,
                          wishes="Werken in de zorg", dutch_speaking="B1", driving_licence=True)
    plan = trajectory_services.save_plan(client=world.own, by=km, plan=PlanInput(
        goals=[GoalInput(description="Werkervaring opdoen in de zorg", due_on=TODAY + timedelta(days=90))],
        ambition="Betaald werk in de zorg."), based_on_version=None)
    setup = delivery(world)
    trajectory = accepted(world, setup, goals=[plan.goals.get().pk])
    waiting = refer(world, setup, client=team_client(world))
    employer = Employer.objects.create(municipality=world.muni, name="Zorggroep De Linde", sector="zorg_welzijn",
                                       place="Voorbeeldstad", postcode="8331 AB")
    vacancy = employer_services.save_vacancy(by=world.users["werkgeversdienstverlener"], data={
        "employer": employer, "title": "Helpende zorg", "sector": "zorg_welzijn", "hours_min": 16, "hours_max": 32,
        "postcode": "8331", "opens_on": TODAY - timedelta(days=2)}, instruments=["jobcoach"])
    return {"client": world.own, "trajectory": trajectory, "waiting": waiting, "approach": setup.approach,
            "employer": employer, "vacancy": vacancy}


def pages_for(role: str, data: dict) -> list[str]:
    pk = data["client"].pk
    slug = data["approach"].slug
    client_pages = [
        reverse("caseload:client-list"), reverse("caseload:client-detail", args=[pk]),
        reverse("diagnosis:overview", args=[pk]), reverse("diagnosis:ladder-new", args=[pk]),
        reverse("diagnosis:zrm-new", args=[pk]), reverse("diagnosis:intake-new", args=[pk]),
        reverse("inview:contacts", args=[pk]),
    ]
    return {
        "klantmanager": [
            reverse("core:home"), reverse("inview:worklist"), *client_pages,
            reverse("matching:recommendations", args=[pk]), reverse("trajectories:plan", args=[pk]),
            reverse("trajectories:plan-edit", args=[pk]), reverse("trajectories:client-trajectories", args=[pk]),
            reverse("trajectories:referral-new", args=[pk]),
            reverse("referrals:referral-detail", args=[data["trajectory"].referral_id]),
            reverse("referrals:trajectory-detail", args=[data["trajectory"].pk]),
            reverse("matching:job-seeker", args=[pk]), reverse("catalogue:list"),
            reverse("catalogue:detail", args=[slug]), reverse("catalogue:what-works"),
            reverse("selection:new"), reverse("selection:list"),
        ],
        "teamleider": [reverse("inview:worklist"), reverse("inview:campaign-list"), reverse("monitoring:dashboard")],
        "aanbieder": [
            reverse("referrals:provider-home"), reverse("referrals:referral-detail", args=[data["waiting"].pk]),
            reverse("referrals:trajectory-detail", args=[data["trajectory"].pk]),
        ],
        "werkgeversdienstverlener": [
            reverse("employers:employer-list"), reverse("employers:employer-detail", args=[data["employer"].pk]),
            reverse("employers:vacancy-list"), reverse("employers:vacancy-detail", args=[data["vacancy"].pk]),
            reverse("employers:vacancy-new"), reverse("employers:matching-list"),
        ],
        "beleidsmedewerker": [
            reverse("monitoring:caseload"), reverse("monitoring:outflow"), reverse("monitoring:dashboard"),
            reverse("monitoring:fairness"), reverse("monitoring:pilot-list"), reverse("catalogue:list"),
        ],
        "beheerder": [
            reverse("caseload:import-upload"), reverse("audit:access-log"), reverse("audit:unusual-access"),
            reverse("vum:exchange"),
        ],
        "wijkteammedewerker": [reverse("caseload:client-detail", args=[pk]), reverse("diagnosis:overview", args=[pk])],
    }[role]


def check(page, path: str, found: dict) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} gaf {response and response.status}"
    violations = axe_violations(page)
    if violations:
        found[path] = violations


def report(found: dict) -> str:
    return "Ernstige of kritieke toegankelijkheidsfouten (axe-core):\n" + "\n".join(
        f"{path}\n{describe(violations)}" for path, violations in found.items())


ROLES = ["klantmanager", "teamleider", "aanbieder", "werkgeversdienstverlener", "beleidsmedewerker", "beheerder",
         "wijkteammedewerker"]


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_accessibility_violations(role, world, filled, page):
    log_in(page, role)
    found = {}
    for path in pages_for(role, filled):
        check(page, path, found)
    assert not found, report(found)


def test_login_and_two_factor_pages_have_no_serious_accessibility_violations(world, page):
    RolePolicy.objects.filter(role="klantmanager").update(otp_required=True)
    found = {}
    check(page, reverse("accounts:login"), found)
    page.get_by_label("Gebruikersnaam").fill("klantmanager")
    page.get_by_label("Wachtwoord").fill("onjuist")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the login error is announced
    if violations := axe_violations(page):
        found["inloggen (fout)"] = violations
    page.get_by_label("Wachtwoord").fill("password")
    page.get_by_role("button", name="Inloggen").click()
    # No device yet: the set-up page with its QR code.
    expect(page.get_by_role("heading", name="Tweestapsverificatie", level=1)).to_be_visible()
    assert TOTPDevice.objects.filter(user=world.users["klantmanager"], confirmed=False).exists()
    if violations := axe_violations(page):
        found["tweestaps (instellen)"] = violations
    page.get_by_label("Code uit uw authenticator-app").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    if violations := axe_violations(page):
        found["tweestaps (fout)"] = violations
    assert not found, report(found)


def test_the_check_finds_what_it_looks_for(page):
    # Guards against a check that passes because axe never ran: an image without a text alternative and a field
    # without a label are critical violations.
    page.set_content('<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>')
    assert {v["id"] for v in axe_violations(page)} >= {"image-alt", "label"}
