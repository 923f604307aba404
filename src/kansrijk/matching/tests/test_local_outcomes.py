"""Local outcome data in the recommendation: what ended trajectories achieved for clients on the same part of the
ladder, shown from ten on, as a bonus when better than usual and never as a penalty; counted independently here."""

from datetime import timedelta

import pytest

from kansrijk.diagnosis import services as diagnosis
from kansrijk.diagnosis.models import LadderStep
from kansrijk.matching.recommendations import Candidate, ClientFacts, Outcome, recommend
from kansrijk.matching.selectors import recommendations_for_client
from kansrijk.trajectories import services as trajectories
from kansrijk.trajectories.codes import EndReason, Result
from kansrijk.trajectories.selectors import band_of, local_outcomes
from kansrijk.trajectories.tests.factories import TODAY, accepted, delivery, team_client

WERKFIT = Candidate(approach_id=7, slug="werkfit", name="Werkfit")
FACTS = ClientFacts(age=40, trede=3)


def reason(outcome):
    [rec] = recommend(FACTS, [WERKFIT], {7: outcome} if outcome else None)
    return next((r for r in rec.reasons if r.code == "uitkomsten"), None), rec


def test_better_than_usual_is_a_bonus_with_its_sentence():
    found, rec = reason(Outcome(band="trede 3", ended=20, work=9, dropout=3, baseline=0.30))
    assert found.text == ("In deze gemeente vonden 9 van de 20 vergelijkbare cliënten (trede 3) na deze aanpak werk "
                          "(45%); 3 stopten voortijdig. Dat is beter dan gemiddeld bij alle aanpakken (30%).")
    assert found.points == 2
    assert rec.score == 2


def test_about_usual_weighs_one_and_worse_is_shown_without_penalty():
    same, _ = reason(Outcome(band="trede 3", ended=10, work=3, dropout=0, baseline=0.30))
    assert same.points == 1 and "ongeveer gemiddeld" in same.text
    worse, rec = reason(Outcome(band="trede 3", ended=10, work=1, dropout=5, baseline=0.30))
    assert worse.points == 0 and "minder dan gemiddeld (30%)" not in worse.text
    assert "Dat is minder dan gemiddeld bij alle aanpakken (30%)." in worse.text
    assert rec.score == 0  # shown, so the client manager can weigh it, but it never lowers the ranking


def test_results_over_all_clients_say_so():
    found, _ = reason(Outcome(band="", ended=25, work=6, dropout=4, baseline=0.24))
    assert found.text == ("Voor vergelijkbare cliënten zijn er nog te weinig uitkomsten; van alle 25 cliënten in deze "
                          "gemeente die deze aanpak afrondden, vonden er 6 werk (24%) en stopten er 4 voortijdig. "
                          "Dat is ongeveer gemiddeld bij alle aanpakken (24%).")


def test_fewer_than_ten_say_nothing():
    found, rec = reason(Outcome(band="trede 3", ended=9, work=9, dropout=0, baseline=0.1))
    assert found is None and rec.score == 0


def test_not_now_shows_no_outcome():
    closed = Candidate(approach_id=7, slug="werkfit", name="Werkfit", trede_min=5)
    [rec] = recommend(FACTS, [closed], {7: Outcome(band="trede 3", ended=50, work=40, dropout=0, baseline=0.2)})
    assert not rec.possible and rec.reasons == []


@pytest.mark.parametrize("trede, band", [(None, "alle treden"), (1, "trede 1 of 2"), (2, "trede 1 of 2"),
                                         (3, "trede 3"), (4, "trede 4 tot en met 6"), (6, "trede 4 tot en met 6")])
def test_bands(trede, band):
    assert band_of(trede) == band


def _ended_trajectory(world, setup, number, *, trede, result, reason=EndReason.WERK_GEVONDEN):
    client = team_client(world, number=number)
    step = LadderStep.objects.get(municipality=None, code=str(trede))
    diagnosis.record_ladder(client=client, by=world.users["klantmanager"], step_ids=[step.pk],
                            measured_on=TODAY - timedelta(days=200))
    trajectory = accepted(world, setup, client=client, days_ago=150)
    # The step measured after the start does not make the client "similar" on another band.
    later = LadderStep.objects.get(municipality=None, code="6")
    diagnosis.record_ladder(client=client, by=world.users["klantmanager"], step_ids=[later.pk],
                            measured_on=TODAY - timedelta(days=10))
    return trajectories.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"],
                                       end_on=TODAY - timedelta(days=20), reason=reason, result=result,
                                       dropout_reason="motivatie" if reason == EndReason.UITVAL else "",
                                       note="Eindrapportage.")


def test_local_outcomes_count_by_trede_at_the_start(world, django_assert_max_num_queries):
    setup = delivery(world)
    for i in range(12):  # 12 at trede 3: 5 found work, 2 dropped out, 5 without result
        if i < 5:
            _ended_trajectory(world, setup, f"70{i:02d}", trede=3, result=Result.WERK_REGULIER)
        elif i < 7:
            _ended_trajectory(world, setup, f"70{i:02d}", trede=3, result=Result.GEEN_RESULTAAT,
                              reason=EndReason.UITVAL)
        else:
            _ended_trajectory(world, setup, f"70{i:02d}", trede=3, result=Result.GEEN_RESULTAAT,
                              reason=EndReason.TERMIJN_VERSTREKEN)
    _ended_trajectory(world, setup, "7100", trede=1, result=Result.LADDER_OMHOOG, reason=EndReason.DOEL_BEREIKT)
    accepted(world, setup, client=team_client(world, number="7200"), days_ago=30)  # running: not counted

    outcomes = local_outcomes(world.muni.pk, 3)
    assert outcomes == {setup.approach.pk: Outcome(band="trede 3", ended=12, work=5, dropout=2, baseline=5 / 12)}
    # Fewer than ten similar clients (one at trede 1, none at 4–6): the results over all thirteen stand in.
    everyone = Outcome(band="", ended=13, work=5, dropout=2, baseline=5 / 13)
    assert local_outcomes(world.muni.pk, 2) == {setup.approach.pk: everyone}
    assert local_outcomes(world.muni.pk, 5) == {setup.approach.pk: everyone}
    assert local_outcomes(world.muni.pk, None) == {setup.approach.pk: everyone}
    with django_assert_max_num_queries(1):  # kept: only the version is read
        local_outcomes(world.muni.pk, 3)

    client = team_client(world, number="7300")
    step = LadderStep.objects.get(municipality=None, code="3")
    diagnosis.record_ladder(client=client, by=world.users["klantmanager"], step_ids=[step.pk], measured_on=TODAY)
    werkfit = recommendations_for_client(client).for_approach(setup.approach.pk)
    assert ("In deze gemeente vonden 5 van de 12 vergelijkbare cliënten (trede 3) na deze aanpak werk (42%); "
            "2 stopten voortijdig. Dat is ongeveer gemiddeld bij alle aanpakken (42%).") in [r.text for r in
                                                                                           werkfit.reasons]
