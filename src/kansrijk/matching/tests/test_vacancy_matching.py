"""The pure matching of clients and vacancies: scenarios with their Dutch sentences, and the guarantee that special
categories, sex and age cannot change a result (they are not even among the facts)."""

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kansrijk.matching.vacancy_matching import (
    SeekerFacts,
    VacancyFacts,
    match,
    rank_candidates,
    rank_vacancies,
    travel_estimate,
)

TODAY = date(2026, 3, 2)


def seeker(**kw) -> SeekerFacts:
    base = dict(client_id=1, trede=4, hours_per_week=32, dutch=("B1", "B2"), education="mbo", driving_licence=True,
                transport="auto", home_postcode="8331 AB", max_travel_minutes=45, today=TODAY)
    base.update(kw)
    return SeekerFacts(**base)


def vacancy(**kw) -> VacancyFacts:
    base = dict(vacancy_id=10, title="Medewerker", place="Steenwijk", postcode="8332 CD")
    base.update(kw)
    return VacancyFacts(**base)


def texts(factors):
    return [f.text for f in factors]


def test_no_licence_against_a_delivery_driver_is_not_now_with_the_sentence():
    m = match(seeker(driving_licence=False), vacancy(title="Bezorger pakketten", driving_licence_required=True))
    assert not m.possible
    assert "De vacature vraagt een rijbewijs; de cliënt heeft er geen." in texts(m.unmet)
    assert m.score == 0 and m.reasons == []


def test_unknown_licence_is_a_question_not_an_exclusion():
    m = match(seeker(driving_licence=None), vacancy(driving_licence_required=True))
    assert m.possible
    assert any("Onbekend of de cliënt een rijbewijs heeft" in t for t in texts(m.to_ask))


def test_statushouder_with_a2_dutch_against_b1_vacancy_is_not_now():
    m = match(seeker(dutch=("A2", "B1")), vacancy(dutch_min="B1"))
    assert texts(m.unmet) == ["De vacature vraagt taalniveau B1 Nederlands; de cliënt heeft nu A2. Met "
                              "taalondersteuning kan dat later wel."]


def test_a_zorg_wish_meets_a_zorg_vacancy():
    m = match(seeker(wishes="Ik wil graag in de zorg werken"),
              vacancy(title="Helpende zorg en welzijn", sector="zorg_welzijn"))
    assert m.possible
    assert "Sluit aan bij wat de cliënt wil doen: ‘zorg’." in texts(m.reasons)
    without = match(seeker(wishes=""), vacancy(title="Helpende zorg en welzijn", sector="zorg_welzijn"))
    assert m.score > without.score


def test_desired_sector_and_occupation_from_the_profile_count():
    m = match(seeker(desired_occupations="Magazijnmedewerker\nOrderpicker", desired_sectors=("logistiek",)),
              vacancy(title="Orderpicker", occupation="Magazijnmedewerker", sector="logistiek"))
    codes = [f.code for f in m.reasons]
    assert "wens" in codes and "sector" in codes


def test_work_experience_counts_when_not_already_a_wish():
    m = match(seeker(work_experience="Tien jaar schoonmaker in kantoren"), vacancy(title="Schoonmaker kantoren"))
    assert any(f.code == "werkervaring" and "schoonmaker" in f.text for f in m.reasons)


def test_hours_below_the_minimum_exclude_and_unknown_hours_ask():
    m = match(seeker(hours_per_week=16), vacancy(hours_min=24))
    assert texts(m.unmet) == ["De vacature vraagt minstens 24 uur per week; de cliënt kan nu 16 uur per week."]
    assert match(seeker(hours_per_week=None), vacancy(hours_min=24)).possible


def test_education_below_minimum_excludes_foreign_education_asks():
    m = match(seeker(education="vmbo"), vacancy(education_min="mbo"))
    assert texts(m.unmet) == ["De vacature vraagt minstens mbo 2–4; de cliënt heeft vmbo / mbo 1."]
    foreign = match(seeker(education="buitenland"), vacancy(education_min="mbo"))
    assert foreign.possible and any("diplomawaardering" in t for t in texts(foreign.to_ask))


@pytest.mark.parametrize("trede, instruments, possible", [
    (1, ("jobcoach",), False), (2, (), False), (3, (), False), (3, ("proefplaatsing",), True),
    (3, ("jobcoach",), True), (4, (), True), (6, (), True), (None, (), True)])
def test_trede(trede, instruments, possible):
    assert match(seeker(trede=trede), vacancy(instruments=instruments)).possible is possible


def test_trede_3_with_proefplaatsing_says_so_and_suggests_the_instruments():
    m = match(seeker(trede=3), vacancy(instruments=("proefplaatsing", "loonkostensubsidie")))
    assert "De cliënt staat op trede 3; met een proefplaatsing kan de stap naar betaald werk." in texts(m.reasons)
    assert "De werkgever biedt een proefplaatsing, loonkostensubsidie; dat helpt bij de start." in texts(m.reasons)


def test_physical_demand_is_a_question_never_an_exclusion():
    m = match(seeker(), vacancy(physical_demand="zwaar"))
    assert m.possible
    assert "Het werk is fysiek zwaar: bespreek met de cliënt of dat past." in texts(m.to_ask)


def test_banenafspraak_is_never_inferred():
    m = match(seeker(), vacancy(banenafspraak=True))
    assert m.possible and any("doelgroepregister" in t for t in texts(m.to_ask))


def test_available_after_closing_excludes_otherwise_asks():
    late = seeker(available_from=date(2026, 6, 1))
    assert not match(late, vacancy(closes_on=date(2026, 4, 1))).possible
    open_ended = match(late, vacancy())
    assert open_ended.possible and any("beschikbaar vanaf 01-06-2026" in t for t in texts(open_ended.to_ask))


def test_travel_estimate_on_postcodes():
    assert travel_estimate("8331 AB", "", "8331 XY", "") == 10
    assert travel_estimate("8331", "", "8355", "") == 30
    assert travel_estimate("8331", "", "1011", "") == 60
    assert travel_estimate("", "Steenwijk", "", "steenwijk") == 10
    assert travel_estimate("", "", "8331", "") is None


def test_travel_beyond_the_wish_and_no_transport_are_questions():
    m = match(seeker(home_postcode="1011 AA", max_travel_minutes=20, transport="geen"), vacancy(postcode="8331"))
    assert m.possible
    assert any("hoogstens 20 minuten" in t for t in texts(m.to_ask))
    assert any("geen eigen vervoer" in t for t in texts(m.to_ask))


def test_nearby_scores_more_than_far():
    near = match(seeker(home_postcode="8332 AA"), vacancy(postcode="8332 CD"))
    far = match(seeker(home_postcode="1011 AA"), vacancy(postcode="8332 CD"))
    assert near.score > far.score


def test_rank_vacancies_possible_first_by_score():
    s = seeker(wishes="zorg", driving_licence=False)
    ranked = rank_vacancies(s, [vacancy(vacancy_id=1, title="Bezorger", driving_licence_required=True),
                                vacancy(vacancy_id=2, title="Schoonmaker"),
                                vacancy(vacancy_id=3, title="Medewerker zorg")])
    assert [m.vacancy.vacancy_id for m in ranked] == [3, 2, 1]
    assert [m.rank for m in ranked] == [1, 2, None]


def test_rank_candidates_leaves_out_not_possible_and_caps():
    seekers = [seeker(client_id=i, hours_per_week=8 if i % 2 else 32) for i in range(1, 11)]
    ranked = rank_candidates(vacancy(hours_min=24), seekers, limit=3)
    assert len(ranked) == 3 and all(m.seeker.hours_per_week == 32 for m in ranked)
    assert [m.seeker.client_id for m in ranked] == [2, 4, 6]


def test_the_facts_have_no_field_for_special_categories_sex_or_age():
    names = {f.name for f in dataclasses.fields(SeekerFacts)}
    assert not names & {"health", "addiction", "migration_background", "origin", "sex", "age", "birth_year"}


# Everything the rules may read, drawn at random; the selectors never put health, origin, sex or age in.
seekers = st.builds(
    SeekerFacts, client_id=st.integers(1, 10**6), trede=st.none() | st.integers(1, 6),
    hours_per_week=st.none() | st.integers(0, 40), dutch=st.lists(st.sampled_from(["A1", "A2", "B1", "B2"]),
                                                                  max_size=4).map(tuple),
    education=st.sampled_from(["", "geen", "vmbo", "mbo", "hbo", "buitenland"]),
    driving_licence=st.none() | st.booleans(), transport=st.sampled_from(["", "auto", "ov", "geen"]),
    wishes=st.sampled_from(["", "zorg", "in de techniek werken"]), home_postcode=st.sampled_from(["", "8331", "1011"]),
    today=st.just(TODAY))
vacancies = st.builds(
    VacancyFacts, vacancy_id=st.integers(1, 1000), title=st.sampled_from(["Zorgmedewerker", "Monteur", "Bezorger"]),
    hours_min=st.none() | st.integers(1, 40), dutch_min=st.sampled_from(["", "A2", "B1"]),
    education_min=st.sampled_from(["", "vmbo", "mbo"]), driving_licence_required=st.booleans(),
    physical_demand=st.sampled_from(["", "licht", "zwaar"]), postcode=st.sampled_from(["", "8332"]),
    instruments=st.sampled_from([(), ("jobcoach",), ("proefplaatsing", "loonkostensubsidie")]))


@settings(max_examples=200, deadline=None)
@given(seekers, vacancies, st.integers(1, 10**6))
def test_the_client_id_never_changes_a_result(s, v, other_id):
    # The id is the only thing that differs between two clients with the same facts: same factors, same score.
    a, b = match(s, v), match(dataclasses.replace(s, client_id=other_id), v)
    assert (a.score, a.status, texts(a.reasons), texts(a.unmet), texts(a.to_ask)) == (
        b.score, b.status, texts(b.reasons), texts(b.unmet), texts(b.to_ask))


@settings(max_examples=200, deadline=None)
@given(seekers, vacancies)
def test_unknown_facts_never_exclude(s, v):
    unknown = dataclasses.replace(s, trede=None, hours_per_week=None, dutch=(), education="", driving_licence=None,
                                  available_from=None)
    assert match(unknown, v).possible


@settings(max_examples=300, deadline=None)
@given(seekers, vacancies)
def test_the_quick_exclusion_agrees_with_the_sentences(s, v):
    from kansrijk.matching.vacancy_matching import _excluded
    assert _excluded(s, v) == (not match(s, v).possible)
