"""The fairness report: every rate, ratio and interval against a computation written here (Wilson intervals by hand,
combined by Newcombe's rule), the four-fifths boundary, suppression, origin only in this report and only for the
policy analyst, roles and query counts."""

import json
import math
import pathlib
from datetime import date

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.caseload.models import BenefitSpell, Client, ClientSpecialCategories
from kansrijk.monitoring import fairness, fairness_selectors, selectors
from kansrijk.monitoring.fairness import OUTCOME_KEYS, fairness_report

START, END = date(2024, 1, 1), date(2024, 12, 31)
Z = 1.959963984540054


def build(groups):
    """groups: (count, sex, birth_year, origin, {outcome: how many of the count had it})."""
    rows, client = [], 0
    for count, sex, birth_year, origin, events in groups:
        for index in range(count):
            client += 1
            row = {"client_id": client, "birth_year": birth_year, "sex": sex, "origin": origin}
            for key in OUTCOME_KEYS:
                row[key] = index < events.get(key, 0)
            rows.append(row)
    return pd.DataFrame(rows, columns=[*fairness.COLUMNS, "origin"])


# 100 clients. Sex: 50 men (25 referred), 50 women (15 referred). Age at 31-12-2024 from birth year (1 July):
# 1999 → 25 (< 30), 1980 → 44 (30-50), 1965 → 59 (50+).
DATA = [
    (20, "M", 1999, "nederlands", {"verwezen": 10}),
    (15, "M", 1980, "niet_westers", {"verwezen": 10}),
    (15, "M", 1965, "nederlands", {"verwezen": 5}),
    (10, "V", 1999, "niet_westers", {"verwezen": 5}),
    (25, "V", 1980, "nederlands", {"verwezen": 10}),
    (15, "V", 1965, "", {}),
]


def wilson(count, n):
    p = count / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def newcombe(c1, n1, c2, n2):
    p1, p2 = c1 / n1, c2 / n2
    l1, u1 = wilson(c1, n1)
    l2, u2 = wilson(c2, n2)
    d = p1 - p2
    return (round(100 * (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)), 2),
            round(100 * (d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)), 2))


def row(result, dimension, group, outcome="verwezen"):
    return next(r for r in result["groepen"] if (r["dimensie"], r["groep"], r["uitkomst"]) == (dimension, group,
                                                                                                  outcome))


def test_rates_ratios_and_intervals_match_a_plain_computation():
    result = fairness_report(build(DATA), START, END)
    assert result["n"] == 100
    assert {"uitkomst": "verwezen", "aantal": 40, "pct": 40.0} in result["totaal"]
    men, women = row(result, "geslacht", "Man"), row(result, "geslacht", "Vrouw")
    assert (men["n"], men["aantal"], men["pct"]) == (50, 25, 50.0)
    assert (women["n"], women["aantal"], women["pct"]) == (50, 15, 30.0)
    assert men["referentie"] == women["referentie"] == "Man"
    assert women["verhouding_hoogste"] == 0.6 and women["vier_vijfde"] is True
    assert women["verhouding_gemiddeld"] == 0.75 and men["verhouding_gemiddeld"] == 1.25
    assert women["verschil_pp"] == -20.0
    assert women["verschil_ci"] == pytest.approx(newcombe(15, 50, 25, 50), abs=0.01)
    assert men["verschil_ci"] == [0.0, 0.0] and men["vier_vijfde"] is False
    # Age: < 30 15/30 = 50%, 30-50 20/40 = 50%, 50+ 5/30 → hidden (1-9 referred).
    young, middle, old = (row(result, "leeftijdsklasse", g) for g in ("< 30", "30-50", "50+"))
    assert young["n"] == 30 and (middle["n"], middle["aantal"]) == (40, 20)
    assert old["n"] == 30 and old["aantal"] is None and old["pct"] is None and old["verhouding_hoogste"] is None
    # …and the total minus the others would give 50+ away: the smallest other count (< 30) is hidden too.
    assert young["aantal"] is None and young["verschil_ci"] == [None, None]
    assert middle["referentie"] == "30-50" and middle["verhouding_hoogste"] == 1.0
    # Chi-square over the shown sex groups, by hand: 2×2 table without continuity correction.
    expected = 40 * 50 / 100
    chi2 = sum((o - e) ** 2 / e for o, e in ((25, expected), (15, expected), (25, 30), (35, 30)))
    p = math.erfc(math.sqrt(chi2 / 2))  # the chi-square survival function for one degree of freedom
    test = next(t for t in result["toetsen"] if (t["dimensie"], t["uitkomst"]) == ("geslacht", "verwezen"))
    assert test["p_waarde"] == pytest.approx(p, abs=1e-4)


def test_origin_rows_and_the_words_of_a_flag():
    result = fairness_report(build(DATA), START, END)
    dutch = row(result, "herkomst", "Nederlandse achtergrond")
    other = row(result, "herkomst", "Niet-westerse migratieachtergrond")
    unknown = row(result, "herkomst", "Onbekend")
    assert (dutch["n"], dutch["aantal"]) == (60, 25) and (other["n"], other["aantal"]) == (25, 15)
    assert unknown["n"] == 15 and unknown["aantal"] == 0 and unknown["pct"] == 0.0  # a zero stays visible
    assert other["referentie"] == "Niet-westerse migratieachtergrond"
    signal = next(s for s in result["signalen"] if s["groep"] == "Vrouw")
    assert signal["tekst"].startswith("Vrouwen worden minder vaak verwezen naar een aanbieder: 30,0% tegen 50,0% "
                                      "bij mannen (verhouding 0,60")
    assert "Dat kan terecht zijn" in signal["tekst"] and "bekijk" in signal["tekst"]


@pytest.mark.parametrize("women_referred, flagged", [(20, False), (19, True)])
def test_four_fifths_boundary(women_referred, flagged):
    # Men 25/50 = 50%; women 20/50 = 40% is exactly 0.8 of it: not flagged; 19/50 is.
    data = [(50, "M", 1980, "", {"verwezen": 25}), (50, "V", 1980, "", {"verwezen": women_referred})]
    women = row(fairness_report(build(data), START, END), "geslacht", "Vrouw")
    assert women["vier_vijfde"] is flagged
    assert fairness.below_four_fifths(40, 100, 50, 100) is False and fairness.below_four_fifths(39, 100, 50, 100)


def test_small_groups_are_suppressed_with_what_gives_them_away():
    data = [(30, "M", 1980, "", {"verwezen": 10}), (25, "V", 1980, "", {"verwezen": 12}),
            (9, "X", 1980, "", {"verwezen": 0})]
    result = fairness_report(build(data), START, END)
    x = row(result, "geslacht", "Anders / X")
    assert x["n"] is None and x["aantal"] is None
    # The total (64) minus the men would give the 9 away: the smallest other group (women, 25) is hidden as well.
    assert row(result, "geslacht", "Vrouw")["n"] is None and row(result, "geslacht", "Man")["n"] == 30
    tiny = fairness_report(build([(9, "M", 1980, "", {"verwezen": 9})]), START, END)
    assert tiny["n"] is None and tiny["groepen"] == [] and all(r["aantal"] is None for r in tiny["totaal"])


# --- Through the database -----------------------------------------------------------------------------------------

@pytest.fixture
def clients(world):
    """50 clients active in 2024: 30 men of 1999 (12 referred), 20 women of 1970 (10 referred, those 10 with a
    non-western background); plus a client whose benefit ended in 2023 and who was referred: not counted."""
    from kansrijk.catalogue.tests.factories import approach
    from kansrijk.trajectories.models import Provider, Referral

    provider = Provider.objects.create(name="De Brug")
    chosen_approach = approach(owner=world.muni, slug="fair-aanpak", name="Aanpak")
    made = []
    for index in range(50):
        man = index < 30
        made.append(Client(municipality=world.muni, client_number=f"F{index}", birth_year=1999 if man else 1970,
                           sex="M" if man else "V"))
    gone = Client(municipality=world.muni, client_number="FX", birth_year=1980, sex="M")
    Client.objects.bulk_create([*made, gone])
    BenefitSpell.objects.bulk_create([BenefitSpell(client=c, municipality=world.muni, original_start=date(2020, 1, 1),
                                                   first_period_start=date(2020, 1, 1),
                                                   last_period_start=date(2020, 1, 1)) for c in made])
    BenefitSpell.objects.create(client=gone, municipality=world.muni, original_start=date(2020, 1, 1),
                                end_date=date(2023, 6, 30), first_period_start=date(2020, 1, 1),
                                last_period_start=date(2020, 1, 1))
    ClientSpecialCategories.objects.bulk_create(
        [ClientSpecialCategories(client=c, migration_background="niet_westers") for c in made[30:40]])
    referred = made[:12] + made[30:40] + [gone]
    user = world.users["klantmanager"]
    Referral.objects.bulk_create([Referral(client=c, approach=chosen_approach, provider=provider, referred_by=user,
                                           referred_on=date(2024, 5, 1), question="?") for c in referred])
    # A referral outside the period does not count.
    Referral.objects.create(client=made[12], approach=chosen_approach, provider=provider, referred_by=user,
                            referred_on=date(2023, 5, 1), question="?")
    return made


def test_the_frame_from_the_database(world, clients, django_assert_num_queries):
    with django_assert_num_queries(1):
        frame = fairness_selectors.client_frame(world.muni.pk, START, END)
    ours = frame[frame["client_id"].isin([c.pk for c in clients])]
    assert len(ours) == 50 and int(ours["verwezen"].sum()) == 22
    assert "origin" not in frame  # not asked, not read
    result = fairness_selectors.fairness_for(world.muni.pk, START, END, with_origin=True)
    assert {r["groep"] for r in result["groepen"] if r["dimensie"] == "herkomst"} >= {
        "Niet-westerse migratieachtergrond"}
    with django_assert_num_queries(1):
        fairness_selectors.client_frame(world.muni.pk, START, END, with_origin=True)


def test_query_count_does_not_grow(world, clients, django_assert_num_queries):
    more = [Client(municipality=world.muni, client_number=f"G{i}", birth_year=1990, sex="V") for i in range(30)]
    Client.objects.bulk_create(more)
    with django_assert_num_queries(1):
        fairness_selectors.fairness_for(world.muni.pk, START, END, with_origin=True)


QUERY = {"van": START.isoformat(), "tot": END.isoformat()}


def test_the_analyst_sees_origin_the_team_lead_does_not(world, clients, api_login):
    analyst = api_login(world.users["beleidsmedewerker"]).get(reverse("api:monitoring-fairness"), QUERY).json()
    assert {r["dimensie"] for r in analyst["groepen"]} == {"geslacht", "leeftijdsklasse", "herkomst"}
    men = next(r for r in analyst["groepen"] if (r["dimensie"], r["groep"], r["uitkomst"]) ==
               ("geslacht", "Man", "verwezen"))
    assert (men["n"], men["aantal"], men["pct"]) == (30, 12, 40.0)
    women = next(r for r in analyst["groepen"] if (r["dimensie"], r["groep"], r["uitkomst"]) ==
                 ("geslacht", "Vrouw", "verwezen"))
    assert (women["n"], women["aantal"]) == (23, 10)  # the world's own three clients (women, active) count too
    for role in ("teamleider", "beheerder"):
        body = api_login(world.users[role]).get(reverse("api:monitoring-fairness"), QUERY).json()
        assert {r["dimensie"] for r in body["groepen"]} == {"geslacht", "leeftijdsklasse"}
        assert "migratieachtergrond" not in json.dumps(body).lower()


def test_page_and_exports(world, clients, login):
    client = login(world.users["beleidsmedewerker"])
    html = client.get(reverse("monitoring:fairness"), QUERY).content.decode()
    assert "Eerlijkheid" in html and 'id="herkomst-data"' in html and "Opvallende verschillen" in html
    for name in ("Jansen", "F12", "5001"):
        assert name not in html
    csv_text = client.get(reverse("monitoring:fairness-export"), {**QUERY, "tabel": "geslacht"}).content.decode(
        "utf-8-sig")
    assert "Verwezen naar een aanbieder;Man;30;12;40.0;" in csv_text
    assert client.get(reverse("monitoring:fairness-export"), {**QUERY, "formaat": "png"}).content.startswith(
        b"\x89PNG")
    lead = login(world.users["teamleider"]).get(reverse("monitoring:fairness"), QUERY).content.decode()
    assert 'id="herkomst-data"' not in lead and "voorbehouden aan beleidsmedewerkers" in lead


def test_bad_period_is_explained(world, login, api_login):
    html = login(world.users["beleidsmedewerker"]).get(reverse("monitoring:fairness"),
                                                        {"van": "2024-12-31", "tot": "2024-01-01"}).content.decode()
    assert "De periode begint na het einde" in html
    response = api_login(world.users["beleidsmedewerker"]).get(reverse("api:monitoring-fairness"),
                                                               {"tot": "2999-01-01"})
    assert response.status_code == 400
    assert "tot" in [p["name"] for p in response.json()["invalidParams"]]


def test_default_period_is_the_last_year(world, api_login):
    body = api_login(world.users["teamleider"]).get(reverse("api:monitoring-fairness")).json()
    today = timezone.localdate()
    assert body["periode_tot"] == today.isoformat()
    assert (today - date.fromisoformat(body["periode_van"])).days == 364


def test_client_manager_gets_no_report(world, login, api_login):
    assert login(world.users["klantmanager"]).get(reverse("monitoring:fairness")).status_code == 403
    assert api_login(world.users["klantmanager"]).get(reverse("api:monitoring-fairness")).status_code == 403


def test_origin_is_read_only_by_the_fairness_report():
    """No other module of monitoring reads the special category; every other output is free of origin groups."""
    root = pathlib.Path(fairness.__file__).parent
    readers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                     if "tests" not in p.parts and ("migration_background" in p.read_text()
                                                    or "special_categories" in p.read_text()))
    assert readers == ["fairness_selectors.py"]


def test_no_other_monitoring_output_contains_origin(world, clients):
    words = [str(w).lower() for w in fairness.ORIGIN_WORDS.values() if w != "Onbekend"]
    outputs = [selectors.caseload_analysis(world.muni.pk, END, use_cache=False),
               selectors.outflow_analysis(world.muni.pk, END, use_cache=False)]
    from kansrijk.accounts.models import Region
    from kansrijk.monitoring import region

    area = Region.objects.create(code="T", name="Testregio")
    area.municipalities.set([world.muni])
    outputs.append(region.region_analysis(area, END, use_cache=False))
    for output in outputs:
        text = json.dumps(output, default=str).lower()
        assert not any(word in text for word in words)
