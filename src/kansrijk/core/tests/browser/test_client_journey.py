"""The client manager's journey through a real browser, from the login with two-factor to the figure on the
dashboard: worklist, intake, ladder and ZRM, recommendation and decision, plan van aanpak, referral; the provider
accepts, reports and ends the trajectory with outflow to work; the team lead's dashboard counts it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kansrijk.accounts.models import RolePolicy
from kansrijk.caseload.models import Client
from kansrijk.caseload.tests.factories import BenefitSpellFactory, ClientFactory
from kansrijk.catalogue.models import LocalOffer
from kansrijk.catalogue.tests.factories import approach
from kansrijk.diagnosis.models import Intake, LadderMeasurement, ZrmMeasurement
from kansrijk.inview.models import ContactRhythmRule
from kansrijk.matching.models import RecommendationDecision
from kansrijk.trajectories import codes, services
from kansrijk.trajectories.models import Plan, Provider, ProviderMember, Referral, Trajectory

from .conftest import confirmed, log_in, log_out, menu

TODAY = timezone.localdate()
# The dashboard hides a count under 10 persons, and a part whose rest is under 10 persons (no figure may reveal a
# person). The provider has earlier clients: ten went to work, ten ended without work and ten are still running, so
# every count of its row is shown and its "naar werk" cell reads 10 before the journey and 11 after it: the journey's
# outcome is what moves a visible figure.
EARLIER_TO_WORK = 10
EARLIER_WITHOUT_WORK = 10
EARLIER_RUNNING = 10


@pytest.fixture
def journey(world):
    provider = Provider.objects.create(name="De Brug", kvk_number="12345678")
    provider.municipalities.add(world.muni)
    ProviderMember.objects.create(provider=provider, user=world.users["aanbieder"])
    offered = approach(name="Snel aan de slag", srg_category="participatieplaats", approach_types=["work_first"])
    offer = LocalOffer.objects.create(municipality=world.muni, approach=offered)
    for n in range(EARLIER_TO_WORK + EARLIER_WITHOUT_WORK + EARLIER_RUNNING):
        to_work, running = n < EARLIER_TO_WORK, n >= EARLIER_TO_WORK + EARLIER_WITHOUT_WORK
        client = ClientFactory(municipality=world.muni, team=world.team, client_manager=world.colleague,
                               client_number=f"80{n:02d}")
        BenefitSpellFactory(client=client)
        referral = services.refer(client=client, by=world.colleague, approach=offered, local_offer=offer,
                                  provider=provider, question="Begeleiding naar werk.", shared_items=["naam"],
                                  goal_ids=[], referred_on=TODAY - timedelta(days=90))
        trajectory = services.accept_referral(referral=referral, by=world.users["aanbieder"],
                                              accepted_on=TODAY - timedelta(days=88))
        if running:
            continue
        services.end_trajectory(
            trajectory=trajectory, by=world.users["aanbieder"], end_on=TODAY - timedelta(days=20),
            reason=codes.EndReason.WERK_GEVONDEN if to_work else codes.EndReason.TERMIJN_VERSTREKEN,
            result=codes.Result.WERK_REGULIER if to_work else codes.Result.GEEN_RESULTAAT)
    # The client is on a running benefit and has never been seen: the worklist asks for a first conversation.
    Client.objects.filter(pk=world.own.pk).update(active_spell_start=date(2018, 1, 1))
    ContactRhythmRule.objects.create(municipality=world.muni, name="Langdurig jaarlijks", interval_days=365,
                                     min_benefit_years=2)
    # Two-factor for client managers, as a municipality would set it; the device is the one already set up in the
    # client manager's authenticator app.
    RolePolicy.objects.filter(role="klantmanager").update(otp_required=True)
    device = TOTPDevice.objects.create(user=world.users["klantmanager"], name="Telefoon", confirmed=True)
    return {"provider": provider, "approach": offered, "device": device}


def test_client_manager_journey_to_the_dashboard(world, journey, new_page):
    client = world.own
    name = client.display_name

    # --- Client manager: login with two-factor, worklist, client page ---------------------------------------------
    page = new_page()
    page.goto("/werklijst/")
    expect(page).to_have_url(re.compile(r"/account/inloggen/"))  # the worklist asks for a login first
    log_in(page, "klantmanager", device=journey["device"])
    expect(page).to_have_url(re.compile(r"/werklijst/$"))  # back where the login started
    worklist = page.get_by_role("table", name="Werklijst, meest dringend eerst")
    worklist.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()

    # --- Intake (keukentafelgesprek) ------------------------------------------------------------------------------
    page.get_by_role("link", name="Nieuw keukentafelgesprek").click()
    page.get_by_label(re.compile(r"^Wensen", re.I)).fill("Werken in de bouw of een magazijn.")
    page.get_by_label(re.compile(r"belastbaarheid", re.I)).fill("24")
    page.get_by_role("button", name="Keukentafelgesprek vastleggen").click()
    confirmed(page, "Het keukentafelgesprek is vastgelegd.")
    assert Intake.objects.filter(client=client).count() == 1

    # --- Participatieladder and ZRM -------------------------------------------------------------------------------
    page.goto(f"/klanten/{client.pk}/")
    page.get_by_role("link", name="Nieuwe tredemeting").click()
    page.get_by_role("checkbox", name=re.compile(r"^4 Onbetaald werk")).check()
    page.get_by_role("button", name="Trede vastleggen").click()
    confirmed(page, "De trede is vastgelegd.")
    assert LadderMeasurement.objects.get(client=client).trede == 4

    page.get_by_role("link", name="Nieuwe ZRM").first.click()
    for radio in page.get_by_role("radio", name=re.compile(r": 3 Beperkt zelfredzaam")).all():
        radio.check()
    page.get_by_role("button", name="ZRM vastleggen").click()
    confirmed(page, "De zelfredzaamheidsmatrix is vastgelegd.")
    assert ZrmMeasurement.objects.filter(client=client).count() == 1

    # --- Recommendations: the why-sentences, and the decision ---------------------------------------------------
    page.goto(f"/klanten/{client.pk}/")
    page.get_by_role("link", name="Aanbevolen aanpakken").click()
    card = page.get_by_role("article", name="Snel aan de slag")
    # The ladder step just recorded is the reason the work-first approach fits.
    expect(card).to_contain_text("De cliënt staat op trede 4; een work-first (snel aan het werk)-aanpak past bij die "
                                 "trede.")
    card.get_by_role("radio", name="Gekozen", exact=True).check()
    card.get_by_role("button", name="Besluit vastleggen").click()
    decisions = page.get_by_role("table", name="Besluiten over aanbevelingen, nieuwste eerst")
    expect(decisions).to_contain_text("Gekozen")
    assert RecommendationDecision.objects.get(client=client).decision == "gekozen"

    # --- Plan van aanpak with a goal ------------------------------------------------------------------------------
    page.goto(f"/klanten/{client.pk}/")
    page.get_by_role("link", name="Plan van aanpak").click()
    page.get_by_role("link", name="Plan opstellen").click()
    page.get_by_label("Wat wil de cliënt bereiken").fill("Betaald werk in de logistiek.")
    goal = page.get_by_role("group", name="Doel 1")
    goal.get_by_label("Doel", exact=True).fill("24 uur per week werkervaring opdoen in een magazijn")
    goal.get_by_label("Meetbaar: hoeveel of wat").fill("24 uur per week, 3 maanden")
    goal.get_by_label("Bereikt op").fill((TODAY + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Plan opslaan").click()
    confirmed(page, "Versie 1 van het plan van aanpak is opgeslagen.")
    plan = Plan.objects.get(client=client)
    assert [g.description for g in plan.goals.all()] == ["24 uur per week werkervaring opdoen in een magazijn"]

    # --- Referral to the provider -------------------------------------------------------------------------------
    page.goto(f"/klanten/{client.pk}/")
    page.get_by_role("link", name="Trajecten en nazorg").click()
    page.get_by_role("link", name="Verwijzen naar een aanbieder").click()
    page.get_by_role("combobox", name=re.compile(r"^Aanpak \(lokaal aanbod\)")).select_option(label="Snel aan de slag")
    page.get_by_role("combobox", name=re.compile(r"^Aanbieder")).select_option(label="De Brug")
    page.get_by_role("textbox", name=re.compile(r"^Vraag aan de aanbieder")).fill(
        "Begeleiding naar werk in de logistiek, 24 uur per week.")
    page.get_by_role("checkbox", name=re.compile(r"^1\. 24 uur per week werkervaring")).check()
    page.get_by_role("button", name="Verwijzen", exact=True).click()
    confirmed(page, f"{name} is verwezen naar De Brug.")
    referral = Referral.objects.get(client=client)
    assert referral.provider == journey["provider"] and referral.status == "verwezen"
    log_out(page)

    # --- The provider accepts, reports and ends the trajectory with outflow to work ------------------------------
    page = new_page()
    log_in(page, "aanbieder")
    menu(page, "Aanmeldingen").click()
    waiting = page.get_by_role("table", name=re.compile("Verwijzingen die nog geaccepteerd"))
    waiting.get_by_role("row").filter(has_text=name).get_by_role("link").click()
    page.get_by_label("SRG-voorziening").select_option(index=1)
    page.get_by_role("button", name="Accepteren").click()
    confirmed(page, "De verwijzing is geaccepteerd; het traject is aangemaakt.")
    trajectory = Trajectory.objects.get(referral=referral)
    menu(page, "Aanmeldingen").click()
    running = page.get_by_role("table", name="Trajecten die nog niet zijn beëindigd")
    running.get_by_role("row").filter(has_text=name).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/trajecten/{trajectory.pk}/$"))

    report = page.get_by_role("region", name="Rapportage toevoegen")
    report.get_by_label(re.compile(r"^Voortgang doel 1")).select_option(index=1)
    report.get_by_label("Rapportage", exact=True).fill("Werkt drie dagen per week mee in het magazijn.")
    report.get_by_role("button", name="Rapportage opslaan").click()
    confirmed(page, "De rapportage is opgeslagen.")
    expect(page.get_by_role("region", name="Rapportages")).to_contain_text("Werkt drie dagen per week mee")

    end = page.get_by_role("region", name="Beëindigen")
    end.get_by_label(re.compile(r"^Reden einde")).select_option(label="Werk gevonden")
    end.get_by_label(re.compile(r"^Resultaat")).select_option(label="Uitstroom naar regulier werk")
    end.get_by_label(re.compile(r"^Rapportcijfer van de cliënt")).fill("8")
    end.get_by_role("button", name="Traject beëindigen").click()
    confirmed(page, "Het traject is beëindigd.")
    trajectory.refresh_from_db()
    assert trajectory.result == codes.Result.WERK_REGULIER and trajectory.end_on == TODAY
    log_out(page)

    # --- The team lead's dashboard counts the outflow -----------------------------------------------------------
    page = new_page()
    log_in(page, "teamleider")
    menu(page, "Analyse").click()
    page.get_by_role("navigation", name=re.compile("Analyse")).get_by_role("link", name="Dashboard").click()
    by_provider = page.get_by_role("table", name=re.compile(r"^Trajecten die in de periode liepen, per aanbieder"))
    row = by_provider.get_by_role("row", name=re.compile(r"^De Brug"))
    expect(row).to_be_visible()
    headers = by_provider.get_by_role("columnheader").all_inner_texts()
    cells = row.get_by_role("cell").all_inner_texts()
    figures = dict(zip(headers[1:], cells, strict=True))
    assert figures["Trajecten"] == str(EARLIER_TO_WORK + EARLIER_WITHOUT_WORK + EARLIER_RUNNING + 1)
    assert figures["Beëindigd"] == str(EARLIER_TO_WORK + EARLIER_WITHOUT_WORK + 1)
    assert figures["Naar werk"] == str(EARLIER_TO_WORK + 1)
