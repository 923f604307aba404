"""The region view: scoping by granted region, totals equal to the municipalities' sums, cross-municipality
suppression, query counts."""

import pytest
from django.urls import reverse

from kansrijk.accounts.models import Region
from kansrijk.monitoring import region, selectors

from .test_analysis import PEIL
from .test_pages import load

QUERY = {"peildatum": PEIL.isoformat(), "regio": "AMR1"}


@pytest.fixture
def area(world):
    area = Region.objects.create(code="AMR1", name="Regio Voorbeeld")
    area.municipalities.set([world.muni, world.other_muni])
    load(world.muni)
    load(world.other_muni, prefix="8")
    world.users["beleidsmedewerker"].regions.add(area)
    return area


def test_region_totals_are_the_sums_of_the_municipalities(world, area):
    result = region.region_analysis(area, PEIL, use_cache=False)
    assert [m["gemeente"] for m in result["gemeenten"]] == ["9998", "9999"]
    compared = 0
    for table, (key, counts) in region.TABLES.items():
        for row in result[table]:
            for name in counts:
                values = [cell[name] for cell in row["gemeenten"]]
                if row["regio"] and row["regio"][name] is not None and None not in values:
                    assert row["regio"][name] == sum(values), (table, row[key], name)
                    compared += 1
    assert compared > 10
    # Each municipality's figures are its own analysis' figures.
    own = {r["instroomjaar"]: r for r in selectors.caseload_analysis(world.muni.pk, PEIL, use_cache=False)["totaal"]}
    for row in result["instroom"]:
        cell = next(c for c in row["gemeenten"] if c["gemeente"] == "9999")
        if cell["n"] is not None:
            assert cell["n"] == own[row["instroomjaar"]]["n"]
    year_2020 = next(r for r in result["instroom"] if r["instroomjaar"] == 2020)
    assert year_2020["regio"] == {"n": 80, "actief": 36, "pct_actief": 45.0}


def test_one_hidden_municipality_hides_another_not_the_region():
    per = {"A": {"instroom": [{"instroomjaar": 2020, "n": None, "actief": None, "pct_actief": None}],
                 "uitstroom": [], "terugkeer": []},
           "B": {"instroom": [{"instroomjaar": 2020, "n": 50, "actief": 20, "pct_actief": 40.0}],
                 "uitstroom": [], "terugkeer": []},
           "C": {"instroom": [{"instroomjaar": 2020, "n": 30, "actief": 15, "pct_actief": 50.0}],
                 "uitstroom": [], "terugkeer": []}}
    total = {"instroom": [{"instroomjaar": 2020, "n": 85, "actief": 38, "pct_actief": 44.71}], "uitstroom": [],
             "terugkeer": []}
    row = region.combine(per, total)["instroom"][0]
    cells = {c["gemeente"]: c for c in row["gemeenten"]}
    assert cells["C"]["n"] is None and cells["C"]["actief"] is None  # 85 − 50 − C would give A away
    assert cells["B"]["n"] == 50 and row["regio"]["n"] == 85


def test_query_count_is_fixed(world, area, django_assert_num_queries):
    with django_assert_num_queries(2):  # the region's municipalities, the spells
        region.region_analysis(area, PEIL, use_cache=False)
    load(world.other_muni, prefix="9")
    with django_assert_num_queries(2):
        region.region_analysis(area, PEIL, use_cache=False)
    region.region_analysis(area, PEIL)
    with django_assert_num_queries(4):  # the municipalities and the data version, then from the cache
        region.region_analysis(area, PEIL)


def test_page_api_and_export_for_the_granted_analyst(world, area, login, api_login):
    client = login(world.users["beleidsmedewerker"])
    html = client.get(reverse("monitoring:region"), QUERY).content.decode()
    assert "Regio Voorbeeld" in html and "Buurdorp" in html and 'id="instroom-data"' in html
    assert "Jansen" not in html and "5001" not in html
    csv_text = client.get(reverse("monitoring:region-export"), {**QUERY, "tabel": "instroom"}).content.decode(
        "utf-8-sig")
    assert "Regio Voorbeeld: Uitkeringen" in csv_text
    body = api_login(world.users["beleidsmedewerker"]).get(reverse("api:monitoring-region"), QUERY).json()
    assert body["regio"] == "AMR1" and {"instroomjaar", "gemeenten", "regio"} <= set(body["instroom"][0])


def test_a_region_not_granted_is_not_found(world, area, login, api_login):
    other = Region.objects.create(code="AMR2", name="Elders")
    other.municipalities.set([world.other_muni])
    params = {**QUERY, "regio": "AMR2"}
    assert login(world.users["beleidsmedewerker"]).get(reverse("monitoring:region"), params).status_code == 404
    assert api_login(world.users["beleidsmedewerker"]).get(reverse("api:monitoring-region"),
                                                           params).status_code == 404
    # The administrator has the role but not the grant; the team lead not even the role.
    assert login(world.users["beheerder"]).get(reverse("monitoring:region"), QUERY).status_code == 404
    assert api_login(world.users["teamleider"]).get(reverse("api:monitoring-region"), QUERY).status_code == 403
