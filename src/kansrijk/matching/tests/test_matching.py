"""Matching with the database: seed-000 scenarios (asserting the reasons), special categories that must not change
anything, fixed query counts, roles and scope on page and API, decisions with Dutch errors, and the command."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijk.audit.models import AccessLog
from kansrijk.caseload.models import ClientSpecialCategories
from kansrijk.catalogue.models import LocalOffer
from kansrijk.catalogue.tests.factories import approach, working_element
from kansrijk.diagnosis import services as diagnosis
from kansrijk.diagnosis.instruments import ZRM_DOMAINS, ZRM_SPECIAL_DOMAINS
from kansrijk.diagnosis.models import IntakeSpecialCategories, LadderStep, ZrmScore
from kansrijk.matching import selectors, services
from kansrijk.matching.models import RecommendationDecision
from kansrijk.matching.selectors import client_facts, recommendations_for

TODAY = timezone.localdate()


def offer(world, **values):
    created = approach(**values)
    LocalOffer.objects.create(municipality=world.muni, approach=created, capacity=values.pop("_capacity", None))
    return created


def measure(world, client, *, trede=None, zrm=None, **intake):
    by = world.users["klantmanager"]
    day = TODAY - timedelta(days=3)
    if trede is not None:
        step = LadderStep.objects.get(municipality=None, code=str(trede))
        diagnosis.record_ladder(client=client, by=by, step_ids=[step.pk], measured_on=day)
    if zrm is not None:
        levels = {key: 4 for key, _label in ZRM_DOMAINS["2017"]} | zrm
        diagnosis.record_zrm(client=client, by=by, measured_on=day, version="2017", levels=levels)
    if intake:
        diagnosis.record_intake(client=client, by=by, measured_on=day, values=intake)


def texts(rec):
    return [r.text for r in rec.reasons]


@pytest.fixture
def catalogue(world):
    """A small local offer after seed 000: Energiebox (work-first, 50+), TOP-vrouwen (own business), a life-first
    activation and a language course, plus one for WW only."""
    working_element("og-levenservaring-als-pre", category="doelgroep", target_group="ouderen",
                    label="Werk waarvoor levenservaring een pre is")
    working_element("lf-geleid-vrijwilligerswerk", category="life_first", label="Geleid vrijwilligerswerk",
                    need="heeft weinig sociale contacten")
    working_element("lf-geen-druk-laag-tempo", category="life_first", label="Geen druk, laag tempo",
                    need="is (nog) niet belastbaar voor druk of tempo")
    working_element("mg-taal-en-netwerk", category="doelgroep", target_group="niet_westerse_migratieachtergrond",
                    label="Taal, netwerk en veel herhaling", need="beheerst de Nederlandse taal onvoldoende")
    working_element("aansluiten-bij-wat-klant-wil", category="algemeen", label="Aansluiten bij wat de klant wil",
                    need="heeft een eigen wens of doel waar de aanpak bij kan aansluiten")
    return {
        "energiebox": offer(world, slug="energiebox", name="Energiebox", approach_types=["work_first"],
                            target_groups=["ouderen"], regimes=["participatiewet"], trede_min=3, trede_max=5,
                            min_hours_per_week="24", effect_level=2,
                            description="Energieadviseurs geven huurders energieadvies aan huis.",
                            working_elements=["og-levenservaring-als-pre"]),
        "top": offer(world, slug="top-vrouwen", name="TOP-vrouwen", approach_types=["human_capital_first"],
                     regimes=["participatiewet"], description="Ondernemen: een eigen bedrijf starten met een "
                     "ondernemingsplan en coaching.", working_elements=["aansluiten-bij-wat-klant-wil"]),
        "activering": offer(world, slug="activering", name="Samen aan de slag", approach_types=["life_first"],
                            trede_min=1, trede_max=2, description="Activering in de wijk zonder druk.",
                            working_elements=["lf-geleid-vrijwilligerswerk", "lf-geen-druk-laag-tempo"]),
        "taal": offer(world, slug="taal-en-werk", name="Taal en werk", approach_types=["human_capital_first"],
                      description="Nederlands leren op de werkvloer.", working_elements=["mg-taal-en-netwerk"]),
        "ww": offer(world, slug="ww-traject", name="WW-traject", regimes=["ww"], approach_types=["work_first"]),
    }


def rec_for(world, client, slug):
    result = recommendations_for(world.users["klantmanager"], client)
    return next(r for r in result.all if r.candidate.slug == slug), result


# --- Scenarios from seed 000 -----------------------------------------------------------------------------------------


def test_long_term_client_over_55_gets_energiebox_high(world, catalogue):
    client = world.own
    client.birth_year = TODAY.year - 57
    client.active_spell_start = TODAY - timedelta(days=8 * 365)
    client.save()
    measure(world, client, trede=4, hours_per_week=28, regime="participatiewet")
    rec, result = rec_for(world, client, "energiebox")
    assert rec.rank == 1
    assert "De cliënt staat op trede 4; een work-first (snel aan het werk)-aanpak past bij die trede." in texts(rec)
    assert ("De cliënt is 57; deze aanpak werkt voor ouderen (50+), onder meer met: Werk waarvoor levenservaring "
            "een pre is.") in texts(rec)
    assert "Bewijs: niveau 2 op de effectladder (goed onderbouwd)." in texts(rec)
    ww = next(r for r in result.not_now if r.candidate.slug == "ww-traject")
    assert [r.text for r in ww.unmet] == ["Deze aanpak is voor cliënten onder de WW; de cliënt valt onder de "
                                          "Participatiewet."]


def test_woman_who_wants_her_own_business(world, catalogue):
    measure(world, world.own, trede=3, hours_per_week=20, regime="participatiewet",
            wishes="Ik wil graag een eigen bedrijf starten als naaister.")
    rec, result = rec_for(world, world.own, "top-vrouwen")
    assert rec.rank == 1
    assert ("Sluit aan bij de wens van de cliënt: de aanpak gaat ook over ‘eigen’, ‘bedrijf’, "
            "‘starten’.") in texts(rec)
    assert ("Werkzaam element ‘Aansluiten bij wat de klant wil’ past bij de situatie: de cliënt heeft een eigen "
            "wens om bij aan te sluiten.") in texts(rec)
    energiebox = next(r for r in result.not_now if r.candidate.slug == "energiebox")
    assert [r.text for r in energiebox.unmet] == ["Deze aanpak vraagt minstens 24 uur per week; de cliënt kan nu 20 "
                                                  "uur per week."]


def test_trede_1_with_low_daily_activities_needs_life_first(world, catalogue):
    measure(world, world.own, trede=1, zrm={"tijdsbesteding": 2, "sociaal_netwerk": 1}, hours_per_week=6)
    rec, result = rec_for(world, world.own, "activering")
    assert rec.rank == 1
    assert texts(rec)[0] == ("De cliënt staat op trede 1; een life-first (eerst het leven op orde)-aanpak past bij "
                             "die trede.")
    assert set(texts(rec)[1:3]) == {
        "Werkzaam element ‘Geleid vrijwilligerswerk’ past bij de situatie: de cliënt heeft weinig dagbesteding of "
        "meedoen in de buurt.",
        "Werkzaam element ‘Geen druk, laag tempo’ past bij de situatie: de cliënt kan nu minder dan 12 uur per "
        "week.",
    }
    energiebox = next(r for r in result.not_now if r.candidate.slug == "energiebox")
    assert "Deze aanpak is voor trede 3 tot en met 5; de cliënt staat nu op trede 1." in [r.text for r in
                                                                                          energiebox.unmet]
    assert any("Onbekend onder welke regeling" in r.text for r in rec_for(world, world.own, "top-vrouwen")[0].to_ask)


def test_client_with_little_dutch(world, catalogue):
    measure(world, world.own, trede=3, dutch_speaking="A1", dutch_reading="A0", regime="participatiewet")
    rec, _result = rec_for(world, world.own, "taal-en-werk")
    assert rec.rank == 1
    assert ("Werkzaam element ‘Taal, netwerk en veel herhaling’ past bij de situatie: de cliënt spreekt, leest of "
            "schrijft nog weinig Nederlands (A0).") in texts(rec)
    # Language never lowers another approach's score: the others have no language reason at all.
    top, _ = rec_for(world, world.own, "top-vrouwen")
    assert not [r for r in top.reasons if "Nederlands" in r.text]


# --- Special categories and sex change nothing ----------------------------------------------------------------------


# Any text PostgreSQL can store (no NUL bytes).
TEXT = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def _snapshot(world):
    result = recommendations_for(world.users["klantmanager"], world.own)
    return [rec.explanation() for rec in result.all]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(health=st.text(TEXT, max_size=20), addiction=st.text(TEXT, max_size=20),
       origin=st.sampled_from(["", "nederlands", "westers", "niet_westers"]),
       special_levels=st.lists(st.integers(1, 5), min_size=4, max_size=4), sex=st.sampled_from("MVOX"))
def test_special_categories_and_sex_do_not_change_anything(world, catalogue, health, addiction, origin,
                                                          special_levels, sex):
    if not ZrmScore.objects.filter(measurement__client=world.own).exists():
        measure(world, world.own, trede=2, zrm={"financien": 2, "tijdsbesteding": 1}, hours_per_week=10,
                wishes="energie besparen", regime="participatiewet")
        IntakeSpecialCategories.objects.create(intake=world.own.intakes.get(), mental_health="x")
        world.baseline = _snapshot(world)
    ClientSpecialCategories.objects.filter(client=world.own).update(health=health, addiction=addiction,
                                                                    migration_background=origin)
    IntakeSpecialCategories.objects.update(physical_health=health, mental_health=health, addiction=addiction)
    for domain, level in zip(sorted(ZRM_SPECIAL_DOMAINS), special_levels):
        ZrmScore.objects.filter(measurement__client=world.own, domain=domain).update(level=level)
    world.own.sex = sex
    world.own.save()
    assert _snapshot(world) == world.baseline


def test_client_facts_read_no_special_table(world):
    measure(world, world.own, trede=2, zrm={"geestelijke_gezondheid": 1, "financien": 2}, hours_per_week=8)
    with CaptureQueriesContext(connection) as queries:
        facts = client_facts(world.own)
    assert facts.low_zrm_domains == ("financien",)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "specialcategories" not in sql.lower()
    assert len(queries.captured_queries) == 3


# --- Fixed number of queries ----------------------------------------------------------------------------------------


def _count(login_client, url):
    cache.clear()  # the local outcomes are kept in the cache; count the read every time
    with CaptureQueriesContext(connection) as queries:
        assert login_client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_page_and_api_do_not_grow_with_the_offer(world, catalogue, login):
    measure(world, world.own, trede=3, zrm={"financien": 2}, hours_per_week=20)
    web = login(world.users["klantmanager"])
    page = reverse("matching:recommendations", args=[world.own.pk])
    api = reverse("api:client-recommendations-list", kwargs={"client_pk": world.own.pk})
    before = (_count(web, page), _count(web, api))
    working_element("wf-netwerk", category="work_first", need="heeft een klein of weinig werkgericht netwerk")
    for n in range(15):
        offer(world, name=f"Extra {n}", approach_types=["work_first"], target_groups=["ouderen"],
              regimes=["participatiewet"], working_elements=["wf-netwerk"], effect_level=3)
    assert (_count(web, page), _count(web, api)) == before


# --- Roles and scope ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, status", [("klantmanager", 200), ("teamleider", 200), ("wijkteammedewerker", 403),
                                          ("beheerder", 403), ("beleidsmedewerker", 403), ("aanbieder", 403),
                                          ("werkgeversdienstverlener", 403)])
def test_roles(world, catalogue, login, role, status):
    web = login(world.users[role])
    assert web.get(reverse("matching:recommendations", args=[world.own.pk])).status_code == status
    assert web.get(reverse("api:client-recommendations-list",
                           kwargs={"client_pk": world.own.pk})).status_code == status


def test_other_team_and_municipality_are_404(world, catalogue, login):
    web = login(world.users["klantmanager"])
    for other in (world.other_team_client, world.other_muni_client):
        assert web.get(reverse("matching:recommendations", args=[other.pk])).status_code == 404
        assert web.get(reverse("api:client-recommendations-list", kwargs={"client_pk": other.pk})).status_code == 404


def test_page_shows_both_lists_and_logs_access(world, catalogue, login):
    measure(world, world.own, trede=4, hours_per_week=30, regime="participatiewet")
    response = login(world.users["klantmanager"]).get(reverse("matching:recommendations", args=[world.own.pk]))
    html = response.content.decode()
    assert "Mogelijk (3 aanpakken)" in html and "Nu niet (2 aanpakken)" in html
    assert "Nu niet, omdat" in html and "de cliënt valt onder de Participatiewet" in html
    assert 'for="besluit-' in html and "Besluit vastleggen" in html
    assert AccessLog.objects.filter(client_id=world.own.pk, view="aanbevelingen").count() == 1
    # The team lead reads, but does not decide.
    lead = login(world.users["teamleider"]).get(reverse("matching:recommendations", args=[world.own.pk]))
    assert "Besluit vastleggen" not in lead.content.decode()


def test_api_lists_with_reasons_and_logs(world, catalogue, login):
    measure(world, world.own, trede=4, hours_per_week=30, regime="participatiewet")
    response = login(world.users["klantmanager"]).get(
        reverse("api:client-recommendations-list", kwargs={"client_pk": world.own.pk}))
    data = response.json()
    assert [item["status"] for item in data] == ["mogelijk"] * 3 + ["nu_niet"] * 2
    assert data[0]["rank"] == 1 and data[0]["reasons"][0]["text"]
    assert {item["unmet"][0]["code"] for item in data[3:]} == {"regeling", "trede"}
    assert AccessLog.objects.filter(client_id=world.own.pk, view="api_aanbevelingen").count() == 1


# --- Decisions ------------------------------------------------------------------------------------------------------


def test_record_decision_keeps_the_explanation(world, catalogue):
    measure(world, world.own, trede=4, hours_per_week=30, regime="participatiewet")
    decision = services.record_decision(client=world.own, approach=catalogue["energiebox"],
                                        by=world.users["klantmanager"], decision="gekozen", reason="")
    assert decision.rank == 1
    assert decision.explanation["status"] == "mogelijk"
    assert decision.explanation["reasons"][0]["text"].startswith("De cliënt staat op trede 4")


def test_record_decision_errors_in_dutch(world, catalogue):
    km = world.users["klantmanager"]
    with pytest.raises(ValidationError) as error:
        services.record_decision(client=world.own, approach=catalogue["top"], by=km, decision="niet_gekozen",
                                 reason="  ")
    assert error.value.message_dict == {"reason": ["Geef de reden waarom deze aanpak niet is gekozen."]}
    with pytest.raises(ValidationError) as error:
        services.record_decision(client=world.own, approach=catalogue["top"], by=km, decision="misschien")
    assert error.value.message_dict == {"decision": ["Kies ‘gekozen’ of ‘niet gekozen’."]}
    elsewhere = approach(name="Niet hier")
    LocalOffer.objects.create(municipality=world.other_muni, approach=elsewhere)
    LocalOffer.objects.filter(approach=catalogue["taal"]).update(active=False)
    for not_offered in (elsewhere, catalogue["taal"]):
        with pytest.raises(ValidationError) as error:
            services.record_decision(client=world.own, approach=not_offered, by=km, decision="gekozen")
        assert error.value.message_dict == {"approach": ["Deze aanpak wordt in de gemeente van de cliënt nu niet "
                                                         "aangeboden."]}
    with pytest.raises(PermissionDenied):
        services.record_decision(client=world.own, approach=catalogue["top"], by=world.users["teamleider"],
                                 decision="gekozen")
    with pytest.raises(PermissionDenied):
        services.record_decision(client=world.other_team_client, approach=catalogue["top"], by=km,
                                 decision="gekozen")
    assert not RecommendationDecision.objects.exists()


def test_decision_on_the_page(world, catalogue, login):
    web = login(world.users["klantmanager"])
    url = reverse("matching:recommendations", args=[world.own.pk])
    response = web.post(url, {"approach": catalogue["top"].pk, "decision": "niet_gekozen", "reason": ""})
    assert response.status_code == 400
    assert "Geef de reden waarom deze aanpak niet is gekozen." in response.content.decode()
    response = web.post(url, {"approach": catalogue["top"].pk, "decision": "niet_gekozen",
                              "reason": "Cliënt wil eerst taal leren."})
    assert response.status_code == 302
    html = web.get(url).content.decode()
    assert "Cliënt wil eerst taal leren." in html
    assert login(world.users["teamleider"]).post(url, {"approach": catalogue["top"].pk,
                                                       "decision": "gekozen"}).status_code == 403


def test_decision_api(world, catalogue, login):
    url = reverse("api:client-recommendation-decisions-list", kwargs={"client_pk": world.own.pk})
    km = login(world.users["klantmanager"])
    response = km.post(url, {"approach": "top-vrouwen", "decision": "niet_gekozen"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "reason"
    response = km.post(url, {"approach": "top-vrouwen", "decision": "gekozen"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["approach"] == "top-vrouwen"
    assert km.get(url).json()["results"][0]["decision"] == "gekozen"
    assert km.post(url, {"approach": "bestaat-niet", "decision": "gekozen"},
                   content_type="application/json").status_code == 400
    lead = login(world.users["teamleider"])
    assert lead.post(url, {"approach": "top-vrouwen", "decision": "gekozen"},
                     content_type="application/json").status_code == 403


# --- Command --------------------------------------------------------------------------------------------------------


def test_command(world, catalogue, capsys):
    measure(world, world.own, trede=4, hours_per_week=30, regime="participatiewet")
    call_command("recommend", world.own.client_number, "--gemeente", world.muni.cbs_code, "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["recommendations"][0]["rank"] == 1
    call_command("recommend", world.own.client_number, "--gemeente", world.muni.cbs_code)
    out = capsys.readouterr().out
    assert "Mogelijk (3):" in out and "Nu niet (2):" in out and "- Deze aanpak is voor cliënten onder de WW" in out


# --- Kept candidates follow the menukaart ---------------------------------------------------------------------------


def test_kept_candidates_see_every_change(world, catalogue):
    km = world.users["klantmanager"]
    measure(world, world.own, trede=2, zrm={"financien": 1}, regime="participatiewet")

    def slugs():
        return [r.candidate.slug for r in recommendations_for(km, world.own).all]

    assert "nieuw" not in slugs()
    offer(world, slug="nieuw", name="Nieuw")
    assert "nieuw" in slugs()
    entry = LocalOffer.objects.get(approach__slug="nieuw")
    entry.active = False
    entry.save()  # as catalogue.services saves it
    assert "nieuw" not in slugs()
    entry = LocalOffer.objects.get(approach=catalogue["top"])
    entry.capacity = 0
    entry.save()
    top = next(r for r in recommendations_for(km, world.own).all if r.candidate.slug == "top-vrouwen")
    assert [r.code for r in top.unmet] == ["capaciteit"]
    from kansrijk.catalogue.models import WorkingElement
    WorkingElement.objects.filter(key="lf-geleid-vrijwilligerswerk").update(need="heeft schulden")
    activering = next(r for r in recommendations_for(km, world.own).all if r.candidate.slug == "activering")
    assert ("Werkzaam element ‘Geleid vrijwilligerswerk’ past bij de situatie: de cliënt heeft geldzorgen of "
            "schulden.") in texts(activering)


def test_changes_bypassing_the_services_are_seen_after_the_keep_time(world, catalogue, monkeypatch):
    km = world.users["klantmanager"]
    recommendations_for(km, world.own)
    LocalOffer.objects.filter(approach=catalogue["top"]).update(capacity=0)  # no updated_at
    monkeypatch.setattr(selectors, "KEEP_SECONDS", -1)
    top = next(r for r in recommendations_for(km, world.own).all if r.candidate.slug == "top-vrouwen")
    assert [r.code for r in top.unmet] == ["capaciteit"]


def test_an_absurd_approach_id_is_refused_not_a_crash(world, client):
    client.force_login(world.users["klantmanager"])
    response = client.post(reverse("matching:recommendations", args=[world.own.pk]),
                           {"approach": "9" * 25, "decision": "gekozen"})
    assert response.status_code == 400
    assert not RecommendationDecision.objects.exists()
