from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kansrijk.diagnosis import selectors, services
from kansrijk.diagnosis.instruments import LADDER_QUESTIONS, ZRM_DOMAINS, propose_trede
from kansrijk.diagnosis.models import (
    DistanceClass,
    Intake,
    IntakeSpecialCategories,
    LadderMeasurement,
    LadderStep,
    ZrmMeasurement,
)

TODAY = timezone.localdate()


def step(world, code):
    return LadderStep.objects.get(municipality=world.muni if code.startswith("2.") else None, code=code)


def all_levels(version="2017", level=3, **overrides):
    return {key: overrides.get(key, level) for key, _ in ZRM_DOMAINS[version]}


@pytest.fixture
def heemskerk(world):
    services.adopt_example_substeps(municipality=world.muni)
    return world


# --- Ladder -------------------------------------------------------------------------------------------------------


def test_vng_steps_are_shipped_and_example_set_is_idempotent(world):
    assert list(LadderStep.objects.filter(municipality=None).values_list("code", flat=True)) == [
        "1", "2", "3", "4", "5", "6"]
    assert services.adopt_example_substeps(municipality=world.muni) == 7
    assert services.adopt_example_substeps(municipality=world.muni) == 0


def test_local_substeps_replace_their_trede_in_the_choice(heemskerk):
    codes = [s.code for s in services.steps_for(heemskerk.muni.pk)]
    assert codes == ["1", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3", "4", "5", "6"]
    local_rust = next(s for s in services.steps_for(heemskerk.muni.pk) if s.code == "1")
    assert local_rust.municipality_id == heemskerk.muni.pk and local_rust.name.startswith("Rust")
    # Another municipality without sub-steps chooses from VNG's six.
    assert [s.code for s in services.steps_for(heemskerk.other_muni.pk)] == ["1", "2", "3", "4", "5", "6"]


def test_several_substeps_register_the_highest(heemskerk):
    ids = [s.pk for s in services.steps_for(heemskerk.muni.pk) if s.code in ("2.2", "2.4", "2.3")]
    measurement = services.record_ladder(client=heemskerk.own, by=heemskerk.users["klantmanager"],
                                         measured_on=TODAY, step_ids=ids)
    assert measurement.step.code == "2.4" and measurement.trede == 2
    assert sorted(s.code for s in measurement.substeps.all()) == ["2.2", "2.3", "2.4"]


@pytest.mark.parametrize(("answers", "expected"), [
    ({}, 1),
    ({"sociale_contacten": True}, 2),
    ({"sociale_contacten": True, "georganiseerd": True}, 3),
    ({"onbetaald_werk": True, "georganiseerd": True}, 4),
    ({"betaald_werk": True}, 5),
    ({"betaald_werk": True, "zonder_ondersteuning": True}, 6),
    ({"zonder_ondersteuning": True}, 1),  # without paid work the follow-up question means nothing
])
def test_question_flow_proposes_a_step(answers, expected):
    assert propose_trede(answers)[0] == expected
    assert {key for key, _, _ in LADDER_QUESTIONS} >= set(answers)


def test_deviating_from_the_proposal_needs_a_reason(world):
    trede3 = LadderStep.objects.get(municipality=None, code="3")
    with pytest.raises(ValidationError) as error:
        services.record_ladder(client=world.own, by=world.users["klantmanager"], measured_on=TODAY,
                               step_ids=[trede3.pk], answers={"sociale_contacten": True})
    assert "override_reason" in error.value.message_dict
    assert not LadderMeasurement.objects.exists()
    measurement = services.record_ladder(client=world.own, by=world.users["klantmanager"], measured_on=TODAY,
                                         step_ids=[trede3.pk], answers={"sociale_contacten": True},
                                         override_reason="Volgt sinds vorige week een taalcursus.")
    assert (measurement.proposed_trede, measurement.trede) == (2, 3)


def test_ladder_refuses_foreign_steps_future_dates_roles_and_scope(heemskerk):
    manager = heemskerk.users["klantmanager"]
    trede2 = LadderStep.objects.get(municipality=None, code="2")  # replaced by local sub-steps here
    with pytest.raises(ValidationError):
        services.record_ladder(client=heemskerk.own, by=manager, measured_on=TODAY, step_ids=[trede2.pk])
    one = LadderStep.objects.get(municipality=None, code="3")
    with pytest.raises(ValidationError):
        services.record_ladder(client=heemskerk.own, by=manager, measured_on=TODAY + timedelta(days=1),
                               step_ids=[one.pk])
    with pytest.raises(PermissionDenied):
        services.record_ladder(client=heemskerk.own, by=heemskerk.users["teamleider"], measured_on=TODAY,
                               step_ids=[one.pk])
    with pytest.raises(PermissionDenied):
        services.record_ladder(client=heemskerk.other_team_client, by=manager, measured_on=TODAY, step_ids=[one.pk])


def test_correction_is_a_new_version_and_history_shows_the_current_one(world):
    manager = world.users["klantmanager"]
    three, four = (LadderStep.objects.get(municipality=None, code=c) for c in ("3", "4"))
    first = services.record_ladder(client=world.own, by=manager, measured_on=TODAY, step_ids=[three.pk])
    fixed = services.record_ladder(client=world.own, by=manager, measured_on=TODAY, step_ids=[four.pk],
                                   corrects=first)
    assert [m.pk for m in selectors.ladder_history(world.own)] == [fixed.pk]
    assert LadderMeasurement.objects.count() == 2
    with pytest.raises(ValidationError):
        services.record_ladder(client=world.own, by=manager, measured_on=TODAY, step_ids=[four.pk], corrects=first)
    with pytest.raises(ValidationError):  # a measurement of another client
        services.record_ladder(client=world.teammate, by=manager, measured_on=TODAY, step_ids=[four.pk],
                               corrects=fixed)


# --- ZRM ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2017", "2013"])
def test_zrm_needs_every_domain_of_its_version_with_whole_levels(world, version):
    manager = world.users["wijkteammedewerker"]
    measurement = services.record_zrm(client=world.own, by=manager, measured_on=TODAY, version=version,
                                      levels=all_levels(version))
    assert measurement.scores.count() == len(ZRM_DOMAINS[version]) and measurement.version == version
    missing = all_levels(version)
    missing.pop(next(iter(missing)))
    with pytest.raises(ValidationError):
        services.record_zrm(client=world.own, by=manager, measured_on=TODAY, version=version, levels=missing)
    for bad in (0, 6, 2.5, "3", True):
        with pytest.raises(ValidationError):
            services.record_zrm(client=world.own, by=manager, measured_on=TODAY, version=version,
                                levels=all_levels(version, financien=bad))
    other = "2013" if version == "2017" else "2017"
    with pytest.raises(ValidationError):
        services.record_zrm(client=world.own, by=manager, measured_on=TODAY, version=version,
                            levels={**all_levels(version), **all_levels(other)})
    assert ZrmMeasurement.objects.count() == 1


def test_zrm_domains_about_health_and_substances_are_hidden_from_other_roles(world):
    keys = {key for key, _ in selectors.visible_zrm_domains(world.users["teamleider"], "2017")}
    assert not keys & {"geestelijke_gezondheid", "lichamelijke_gezondheid", "middelengebruik"}
    assert len(selectors.visible_zrm_domains(world.users["klantmanager"], "2017")) == 13


# --- Intake -------------------------------------------------------------------------------------------------------


def test_intake_keeps_special_categories_apart_and_restricted(world):
    manager = world.users["klantmanager"]
    intake = services.record_intake(
        client=world.own, by=manager, measured_on=TODAY,
        values={"hours_per_week": 16, "dutch_speaking": "B1", "motivation_willing": "ja", "client_role": "coproducent",
                "job_search_exemption_until": TODAY + timedelta(days=10), "regime": "participatiewet"},
        special={"mental_health": "Somberheid, in behandeling", "addiction": ""})
    assert IntakeSpecialCategories.objects.get(intake=intake).mental_health.startswith("Somberheid")
    with pytest.raises(ValidationError):
        services.record_intake(client=world.own, by=manager, measured_on=TODAY, values={"hours_per_week": 99})
    with pytest.raises(ValidationError):
        services.record_intake(client=world.own, by=manager, measured_on=TODAY, values={"dutch_reading": "Z9"})
    assert Intake.objects.count() == 1


def test_only_roles_that_see_a_special_category_may_write_it(world):
    wijk = world.users["wijkteammedewerker"]
    services.record_intake(client=world.own, by=wijk, measured_on=TODAY, values={},
                           special={"physical_health": "Rugklachten"})
    from kansrijk.accounts import roles

    assert not world.users["teamleider"].has_role(roles.RECORDS_DIAGNOSIS)


# --- Distance indicator ---------------------------------------------------------------------------------------------


def test_distance_indicator_explains_itself_and_ignores_health(world):
    manager = world.users["klantmanager"]
    assert selectors.distance_indicator(world.own).value is None
    services.record_ladder(client=world.own, by=manager, measured_on=TODAY,
                           step_ids=[LadderStep.objects.get(municipality=None, code="4").pk])
    indicator = selectors.distance_indicator(world.own)
    assert indicator.value == DistanceClass.MIDDEL and "Trede 4" in indicator.reasons[0]
    # Acute health and substance problems do not move the indicator: special categories never feed it.
    services.record_zrm(client=world.own, by=manager, measured_on=TODAY, version="2017",
                        levels=all_levels(level=4, geestelijke_gezondheid=1, lichamelijke_gezondheid=1,
                                          middelengebruik=1))
    assert selectors.distance_indicator(world.own).value == DistanceClass.MIDDEL
    services.record_zrm(client=world.own, by=manager, measured_on=TODAY, version="2017",
                        levels=all_levels(level=4, financien=1, huisvesting=2, sociaal_netwerk=2))
    indicator = selectors.distance_indicator(world.own)
    assert indicator.value == DistanceClass.GROOT
    assert any("financiën" in reason for reason in indicator.reasons)
    services.record_intake(client=world.own, by=manager, measured_on=TODAY, values={"hours_per_week": 36})
    assert selectors.distance_indicator(world.own).value == DistanceClass.MIDDEL


def test_professional_overrides_the_indicator_with_a_reason(world):
    manager = world.users["klantmanager"]
    with pytest.raises(ValidationError):
        services.judge_distance(client=world.own, by=manager, distance="klein", reason=" ")
    with pytest.raises(PermissionDenied):
        services.judge_distance(client=world.own, by=world.users["wijkteammedewerker"], distance="klein", reason="x")
    services.judge_distance(client=world.own, by=manager, distance="klein", reason="Heeft een baanaanbod.",
                            derived="groot")
    indicator = selectors.distance_indicator(world.own)
    assert indicator.value == "klein" and indicator.judgement.reason == "Heeft een baanaanbod."


def test_progress_lists_ladder_and_zrm_oldest_first(world):
    manager = world.users["klantmanager"]
    for days, code in ((400, "2"), (200, "3"), (10, "4")):
        services.record_ladder(client=world.own, by=manager, measured_on=TODAY - timedelta(days=days),
                               step_ids=[LadderStep.objects.get(municipality=None, code=code).pk])
    levels = all_levels("2013", level=2)
    levels["lichamelijke_gezondheid"] = 5
    zrm_day = TODAY - timedelta(days=30)
    services.record_zrm(client=world.own, by=manager, measured_on=zrm_day, version="2013", levels=levels)
    ladders, zrms = selectors.ladder_versions(world.own), selectors.zrm_versions(world.own)
    rows = selectors.visible_progress(manager, ladders, zrms)
    assert [row.get("trede") for row in rows] == [2, 3, None, 4]
    assert rows[2]["date"] == zrm_day and rows[2]["zrm_lowest"] == 2 and rows[2]["zrm"] > 2.0
    # A role that may not see the health domains gets an average over the other domains only.
    rows = selectors.visible_progress(world.users["teamleider"], ladders, zrms)
    assert rows[2]["zrm"] == 2.0


def test_a_local_substep_of_a_higher_trede_wins_whatever_its_position(heemskerk):
    """An administrator's new sub-step defaults to position 0; the trede decides first, the position within it."""
    late = LadderStep.objects.create(municipality=heemskerk.muni, code="3a", trede=3, name="Cursus", position=0)
    ids = [late.pk, next(s.pk for s in services.steps_for(heemskerk.muni.pk) if s.code == "2.4")]
    measurement = services.record_ladder(client=heemskerk.own, by=heemskerk.users["klantmanager"],
                                         measured_on=TODAY, step_ids=ids)
    assert measurement.step == late and measurement.trede == 3


def test_unknown_ladder_answers_are_refused(world):
    with pytest.raises(ValidationError) as error:
        services.record_ladder(client=world.own, by=world.users["klantmanager"], measured_on=TODAY,
                               step_ids=[step(world, "3").pk], answers={"betaald_werk": False, "foo": True})
    assert error.value.message_dict == {"answers": ["Onbekende vraag: foo."]}
    assert not LadderMeasurement.objects.exists()
