"""The rules of ``recommend`` without a database: every hard criterion at its boundaries, unknown facts, the soft
fit's reasons, and the order."""

from datetime import date

import pytest

from kansrijk.matching.recommendations import Candidate, ClientFacts, Element, recommend


def cand(name="Aanpak", **extra) -> Candidate:
    return Candidate(approach_id=extra.pop("approach_id", 1), slug=extra.pop("slug", name.lower()), name=name, **extra)


def one(facts, candidate):
    [rec] = recommend(facts, [candidate])
    return rec


def codes(reasons):
    return [r.code for r in reasons]


@pytest.mark.parametrize("regime, possible", [("participatiewet", True), ("ioaw", True), ("ww", False)])
def test_regime(regime, possible):
    rec = one(ClientFacts(regime=regime), cand(regimes=("participatiewet", "ioaw")))
    assert rec.possible is possible
    if not possible:
        assert rec.unmet[0].text == ("Deze aanpak is voor cliënten onder de Participatiewet of de IOAW; de cliënt "
                                     "valt onder de WW.")


@pytest.mark.parametrize("trede, possible", [(1, False), (2, True), (4, True), (5, False)])
def test_trede_boundaries(trede, possible):
    rec = one(ClientFacts(trede=trede), cand(trede_min=2, trede_max=4))
    assert rec.possible is possible
    if not possible:
        assert rec.unmet[0].text == f"Deze aanpak is voor trede 2 tot en met 4; de cliënt staat nu op trede {trede}."


@pytest.mark.parametrize("hours, possible", [(11, False), (12, True), (40, True)])
def test_hours_boundary(hours, possible):
    rec = one(ClientFacts(hours_per_week=hours), cand(min_hours_per_week=12.0))
    assert rec.possible is possible
    if not possible:
        assert "minstens 12 uur per week; de cliënt kan nu 11 uur per week" in rec.unmet[0].text


@pytest.mark.parametrize("age, possible", [(49, False), (50, True), (65, True), (66, False)])
def test_age_boundaries(age, possible):
    rec = one(ClientFacts(age=age), cand(age_min=50, age_max=65))
    assert rec.possible is possible
    if not possible:
        assert rec.unmet[0].text == f"Deze aanpak is voor mensen van 50 tot en met 65 jaar; de cliënt is {age}."


def test_capacity_zero_and_not_offered():
    assert one(ClientFacts(), cand(capacity=0)).unmet[0].text == "Er zijn nu geen plaatsen vrij (capaciteit 0)."
    assert one(ClientFacts(), cand(capacity=1)).possible
    assert one(ClientFacts(), cand(capacity=None)).possible
    assert one(ClientFacts(), cand(offered=False)).unmet[0].text == "De gemeente biedt deze aanpak nu niet aan."


def test_language_level_of_the_approach():
    approach = cand(language_level="Taalniveau B1 of hoger")
    rec = one(ClientFacts(dutch=(("spreken", "A2"), ("lezen", "B1"))), approach)
    assert rec.unmet[0].text == ("Deze aanpak vraagt taalniveau B1 Nederlands; de cliënt heeft nu A2. Met "
                                 "taalondersteuning kan dat later wel.")
    assert one(ClientFacts(dutch=(("spreken", "B1"),)), approach).possible
    assert one(ClientFacts(), cand(language_level="goede beheersing")).possible  # no level named: no criterion


def test_driving_licence_only_when_the_approach_asks():
    approach = cand(entry_criteria="Rijbewijs B vereist.")
    assert codes(one(ClientFacts(driving_licence=False), approach).unmet) == ["rijbewijs"]
    assert one(ClientFacts(driving_licence=True), approach).possible
    assert one(ClientFacts(driving_licence=False), cand()).possible


def test_unknown_facts_never_exclude_but_are_asked():
    approach = cand(regimes=("participatiewet",), trede_min=3, trede_max=5, min_hours_per_week=20, age_min=50,
                    language_level="B1", entry_criteria="rijbewijs", approach_types=("work_first",))
    rec = one(ClientFacts(), approach)
    assert rec.possible
    assert codes(rec.to_ask) == ["regeling", "trede", "uren", "leeftijd", "taal", "rijbewijs", "type"]
    assert all("vraag na" in r.text or "meet de trede" in r.text for r in rec.to_ask)


def test_several_unmet_criteria_are_all_named():
    rec = one(ClientFacts(regime="ww", trede=1, hours_per_week=4, age=30),
              cand(regimes=("participatiewet",), trede_min=3, min_hours_per_week=16, age_min=50))
    assert codes(rec.unmet) == ["regeling", "trede", "uren", "leeftijd"]
    assert rec.rank is None


@pytest.mark.parametrize("trede, kind", [(1, "life_first"), (2, "life_first"), (3, "human_capital_first"),
                                         (4, "work_first"), (5, "work_first")])
def test_approach_type_for_the_trede(trede, kind):
    fitting = cand("Past", approach_id=1, approach_types=(kind,))
    others = [cand(f"Ander {t}", approach_id=i + 2, approach_types=(t,)) for i, t in
              enumerate(["life_first", "human_capital_first", "work_first"]) if trede not in
              {"life_first": (1, 2), "human_capital_first": (2, 3, 4), "work_first": (4, 5)}[t]]
    ranked = recommend(ClientFacts(trede=trede), [*others, fitting])
    assert ranked[0].candidate.name == "Past"
    assert ranked[0].reasons[0].code == "type"
    assert f"trede {trede}" in ranked[0].reasons[0].text


def test_order_is_score_then_name_and_deterministic():
    items = [cand("Bravo", approach_id=1, effect_level=4), cand("Alfa", approach_id=2),
             cand("Charlie", approach_id=3, effect_level=4), cand("Delta", approach_id=4, capacity=0)]
    ranked = recommend(ClientFacts(), items)
    assert [r.candidate.name for r in ranked] == ["Bravo", "Charlie", "Alfa", "Delta"]
    assert [r.rank for r in ranked] == [1, 2, 3, None]
    assert [r.candidate.name for r in recommend(ClientFacts(), list(reversed(items)))] == ["Bravo", "Charlie",
                                                                                           "Alfa", "Delta"]


def test_effect_level_is_a_small_bonus_with_its_words():
    rec = one(ClientFacts(), cand(effect_level=3))
    assert rec.reasons[-1].text == "Bewijs: niveau 3 op de effectladder (effectief volgens eerste aanwijzingen)."
    assert rec.score == 1


def test_low_finances_match_a_debt_element():
    element = Element(label="Schuldhulp in het traject", category="life_first", need="heeft schulden of geldzorgen")
    rec = one(ClientFacts(low_zrm_domains=("financien",)), cand(elements=(element,)))
    assert rec.reasons[0].text == ("Werkzaam element ‘Schuldhulp in het traject’ past bij de situatie: de cliënt "
                                   "heeft geldzorgen of schulden.")


def test_health_needs_are_never_matched():
    element = Element(label="Werk als therapie", need="gezondheid staat werk of participatie in de weg")
    facts = ClientFacts(low_zrm_domains=("financien", "huisvesting", "sociaal_netwerk"), trede=1, age=60)
    assert not [r for r in one(facts, cand(elements=(element,))).reasons if r.code.startswith("element")]


def test_exemption_is_mentioned_not_excluding():
    facts = ClientFacts(work_exemption_until=date(2030, 1, 1), today=date(2026, 1, 1))
    rec = one(facts, cand(approach_types=("work_first",)))
    assert rec.possible
    assert "ontheffing van de arbeidsverplichtingen tot 01-01-2030; meedoen is vrijwillig" in rec.reasons[-1].text
