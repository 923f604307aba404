import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kansrijk.catalogue import content, selectors, services
from kansrijk.catalogue.models import Approach, Assessment, AssessmentScore, LocalOffer, WorkingElement
from kansrijk.catalogue.search import FTS_TABLE, PG_INDEX, document_for

from .factories import approach, entry

ALL_SCORES = {dimension: (1, "Goed onderbouwd in het plan.") for dimension in
              ("onderbouwing", "omgevingsfactoren", "effectiviteit", "kosten_baten", "uitvoerbaarheid", "vernieuwing")}


def search(q, **filters):
    return [a.slug for a in selectors.approach_list(selectors.CatalogueFilters(q=q, **filters))]


# --- Loading the shipped content -------------------------------------------------------------------------------


def test_load_shipped_catalogue_is_idempotent(db):
    first = services.load_shipped_catalogue()
    total = len(content.shipped_approaches())
    assert first.ok and first.created == total
    assert WorkingElement.objects.count() == len(content.working_elements())
    second = services.load_shipped_catalogue()
    assert (second.created, second.updated, second.unchanged) == (0, 0, total)
    assert not Approach.objects.filter(search_document="").exists()


def test_shipped_approach_removed_from_the_files_is_retired_not_deleted(db, monkeypatch):
    services.load_shipped_catalogue()
    shipped = content.shipped_approaches()
    monkeypatch.setattr(content, "shipped_approaches", lambda: shipped[1:])
    summary = services.load_shipped_catalogue()
    assert summary.retired == 1
    gone = Approach.objects.get(slug=shipped[0][1]["slug"])
    assert gone.retired_at is not None and gone.retired_reason


def test_changed_content_updates_the_approach_and_its_version(db, monkeypatch):
    services.load_shipped_catalogue()
    shipped = [(name, dict(e)) for name, e in content.shipped_approaches()]
    shipped[0][1]["description"] = "Nieuwe omschrijving."
    monkeypatch.setattr(content, "shipped_approaches", lambda: shipped)
    summary = services.load_shipped_catalogue()
    assert summary.updated == 1
    changed = Approach.objects.get(slug=shipped[0][1]["slug"])
    assert changed.description == "Nieuwe omschrijving." and changed.version == 2


def test_shipped_facts_keep_their_sources(db):
    services.load_shipped_catalogue()
    for approach_ in Approach.objects.all()[:50]:
        assert "name" in approach_.sources
        for reference in approach_.sources.values():
            assert content.parse_references(reference)


# --- Search and filters ----------------------------------------------------------------------------------------


def test_search_is_dutch_full_text_with_stems_accents_and_prefix(db):
    approach(slug="werkgevers", name="Werkgeversdag", description="Speeddates met werkgevers in de regio.")
    approach(slug="taal", name="Taalcafé", description="Cliënten oefenen Nederlands.")
    approach(slug="zorg", name="Opleiden in de zorg", description="Leren en werken bij een zorginstelling.")
    assert search("werkgever") == ["werkgevers"]
    assert search("clienten") == ["taal"]  # accents folded
    assert search("CLIËNT") == ["taal"]
    assert search("zorginst") == ["zorg"]  # the last word also as a prefix
    assert search("werkgever speeddate") == ["werkgevers"]  # every word must match
    assert search("werkgever taal") == []
    assert search("de het een") == search("")  # only stop words: no filter


def test_search_ranks_a_hit_in_the_name_first(db):
    approach(slug="in-tekst", name="Groepstraining", description="Met een jobcoach op de werkvloer.")
    approach(slug="in-naam", name="Jobcoach", description="Begeleiding op de werkplek.")
    assert search("jobcoach") == ["in-naam", "in-tekst"]


def test_search_uses_the_full_text_index(db):
    approach(name="Energiebox")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'energiebox'")
            assert "VIRTUAL TABLE INDEX" in " ".join(str(row) for row in cursor.fetchall())
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN SELECT id FROM catalogue_approach "
                           "WHERE search_vector @@ to_tsquery('simple'::regconfig, 'energiebox')")
            assert PG_INDEX in " ".join(row[0] for row in cursor.fetchall())


def test_search_stays_fast_with_thousands_of_approaches(db):
    words = ["werk", "taal", "zorg", "techniek", "horeca", "groen", "schoonmaak", "logistiek", "detailhandel"]
    Approach.objects.bulk_create(
        Approach(slug=f"bulk-{n}", name=f"Traject {n}", kind="traject",
                 search_document=document_for(f"Traject {n} {words[n % 9]} {words[(n * 7) % 9]} begeleiding"))
        for n in range(5000)
    )
    started = time.perf_counter()
    found = selectors.approach_list(selectors.CatalogueFilters(q="techniek begeleiding"))[:50]
    list(found)
    assert time.perf_counter() - started < 0.5
    assert len(found) == 50


def test_search_index_follows_updates_and_deletes(db):
    item = approach(name="Fietsproject")
    assert search("fietsproject") == [item.slug]
    item.name = "Wandelproject"
    item.save()
    services.refresh_search_documents([item.pk])
    assert search("fietsproject") == [] and search("wandelproject") == [item.slug]
    item.delete()
    assert search("wandelproject") == []


def test_filters_combine_and_understand_the_classifications(world):
    both = approach(slug="beide", goal="beide", target_groups=["ouderen"], ladder_steps=["2"], regimes=["ioaw"])
    work = approach(slug="werk", goal="werk", approach_types=["work_first", "human_capital_first"],
                    trede_min=3, trede_max=5, effect_level=3, cost_per_participant_eur=1600)
    step = approach(slug="substap", goal="activering", ladder_steps=["2.3"], status="pilot", region="Regio Zwolle")
    f = selectors.CatalogueFilters
    def slugs(**kwargs):
        return sorted(a.slug for a in selectors.approach_list(f(**kwargs), [world.muni.pk]))
    assert slugs(goal="werk") == ["beide", "werk"]  # "beide" serves work too
    assert slugs(goal="activering") == ["beide", "substap"]
    assert slugs(ladder_steps=["2.3"]) == ["beide", "substap"]  # trede 2 as a whole serves its sub-steps
    assert slugs(ladder_steps=["2"]) == ["beide", "substap"]
    assert slugs(ladder_steps=["4"]) == ["werk"]  # from the entry criteria trede 3–5
    assert slugs(approach_types=["human_capital_first"]) == ["werk"]
    assert slugs(target_groups=["ouderen"], regimes=["ioaw"]) == ["beide"]
    assert slugs(effect_level_min=2) == ["werk"]
    assert slugs(max_cost=2000) == ["werk"]
    assert slugs(status="pilot", region="zwolle") == ["substap"]
    services.set_local_offer(approach=work, municipality=world.muni, values={"capacity": 12},
                             by=world.users["beheerder"])
    assert slugs(offered_locally=True) == ["werk"]
    assert slugs(offered_locally=False) == ["beide", "substap"]
    services.retire_approach(approach=approach(owner=world.muni, slug="oud"), reason="Gestopt",
                             by=world.users["beheerder"])
    assert "oud" not in slugs() and "oud" in slugs(include_retired=True)
    assert both and step


@pytest.mark.parametrize("count", [3, 30])
def test_catalogue_list_costs_a_fixed_number_of_queries(world, count):
    for n in range(count):
        approach(target_groups=["ouderen"], working_elements=["hc-tijd-en-caseload"],
                 results=[{"description": "uitstroom", "value": n}])
    with CaptureQueriesContext(connection) as queries:
        items = list(selectors.approach_list(selectors.CatalogueFilters(), [world.muni.pk]))
        for item in items:
            item.target_groups, list(item.working_elements.all()), list(item.results.all()), item.offers_here
    assert len(items) == count
    assert len(queries) == 5


# --- Local offer, local approaches, retiring ---------------------------------------------------------------------


def test_local_offer_is_set_withdrawn_and_kept(world):
    item = approach()
    admin = world.users["beheerder"]
    offer = services.set_local_offer(approach=item, municipality=world.muni, by=admin,
                                     values={"capacity": 15, "contact_person": "Fatima de Vries",
                                             "contact_email": "f.devries@voorbeeldstad.nl", "intake_moments": "maandelijks"})
    assert offer.active and offer.capacity == 15 and offer.updated_by == admin
    services.withdraw_local_offer(approach=item, municipality=world.muni, by=admin)
    offer.refresh_from_db()
    assert not offer.active and LocalOffer.objects.count() == 1


def test_local_offer_only_for_own_municipality_and_role(world):
    item = approach()
    with pytest.raises(PermissionDenied):
        services.set_local_offer(approach=item, municipality=world.other_muni, values={}, by=world.users["beheerder"])
    with pytest.raises(PermissionDenied):
        services.set_local_offer(approach=item, municipality=world.muni, values={}, by=world.users["klantmanager"])
    with pytest.raises(ValidationError):
        services.set_local_offer(approach=item, municipality=world.muni, values={"contact_email": "geen-adres"},
                                 by=world.users["beheerder"])
    assert not LocalOffer.objects.exists()


def test_local_approach_is_created_validated_and_only_editable_by_its_owner(world):
    admin = world.users["beheerder"]
    created = services.save_local_approach(
        entry=entry(slug="buurtkamer-noord", name="Buurtkamer Noord", goal="activering", ladder_steps=["1", "2.1"],
                    pitfalls=["Werving kost tijd"]),
        municipality=world.muni, by=admin)
    assert created.owner == world.muni and created.ladder_steps == ["1", "2.1"]
    assert search("buurtkamer") == ["buurtkamer-noord"]
    with pytest.raises(ValidationError) as error:
        services.save_local_approach(entry=entry(slug="fout", goal="geld", trede_min=9), municipality=world.muni,
                                     by=admin)
    assert "goal" in str(error.value) and "trede_min" in str(error.value)
    assert not Approach.objects.filter(slug="fout").exists()
    with pytest.raises(ValidationError):
        services.save_local_approach(entry=entry(slug="buurtkamer-noord"), municipality=world.muni, by=admin)
    shipped = approach(slug="landelijk")
    with pytest.raises(PermissionDenied):
        services.save_local_approach(entry=entry(), municipality=world.muni, by=admin, approach=shipped)


def test_retiring_keeps_history_and_ends_local_offers(world):
    admin = world.users["beheerder"]
    own = approach(owner=world.muni)
    services.set_local_offer(approach=own, municipality=world.muni, values={}, by=admin)
    with pytest.raises(ValidationError):
        services.retire_approach(approach=own, reason=" ", by=admin)
    services.retire_approach(approach=own, reason="Subsidie gestopt", by=admin)
    own.refresh_from_db()
    assert own.retired_at and own.retired_reason == "Subsidie gestopt"
    assert not LocalOffer.objects.get(approach=own).active
    with pytest.raises(ValidationError):
        services.retire_approach(approach=approach(), reason="x", by=admin)  # the national catalogue
    with pytest.raises(ValidationError):
        services.set_local_offer(approach=own, municipality=world.muni, values={}, by=admin)


# --- Assessment ------------------------------------------------------------------------------------------------


def test_assessment_needs_all_six_dimensions_with_reasoning(world):
    item = approach()
    analyst = world.users["beleidsmedewerker"]
    incomplete = {**ALL_SCORES, "vernieuwing": (2, "")}
    del incomplete["kosten_baten"]
    with pytest.raises(ValidationError) as error:
        services.record_assessment(approach=item, by=analyst, scores=incomplete)
    assert set(error.value.message_dict) == {"vernieuwing", "kosten_baten"}
    assert not Assessment.objects.exists() and not AssessmentScore.objects.exists()


def test_assessment_history_is_kept(world):
    item = approach()
    analyst = world.users["beleidsmedewerker"]
    first = services.record_assessment(approach=item, by=analyst, scores=ALL_SCORES, effect_level=1,
                                       checklist={"recent": {"answer": "ja", "note": "Gestart in 2018"}})
    second = services.record_assessment(approach=item, by=analyst, scores={**ALL_SCORES, "effectiviteit": (2, "FIP "
                                        "toonde een controlegroep.")}, effect_level=3, conclusion="Kansrijk.")
    history = list(selectors.assessment_history(item))
    assert history == [second, first]
    assert selectors.latest_assessment(item).effect_level == 3
    assert {s.dimension: s.score for s in second.scores.all()}["effectiviteit"] == 2
    assert first.checklist == {"recent": {"answer": "ja", "note": "Gestart in 2018"}}


def test_only_analysts_assess(world):
    with pytest.raises(PermissionDenied):
        services.record_assessment(approach=approach(), by=world.users["klantmanager"], scores=ALL_SCORES)


def test_assessment_rejects_unknown_checklist_answers(world):
    with pytest.raises(ValidationError) as error:
        services.record_assessment(approach=approach(), by=world.users["beleidsmedewerker"], scores=ALL_SCORES,
                                   checklist={"recent": {"answer": "misschien"}, "onzin": {"answer": "ja"}})
    assert set(error.value.message_dict) == {"checklist.recent", "checklist.onzin"}


# --- What works for whom -----------------------------------------------------------------------------------------


def test_what_works_groups_research_by_target_group_type_and_step(db):
    services.load_shipped_catalogue()
    result = selectors.what_works()
    groups = {group["key"]: group for group in result["target_groups"]}
    assert {"ouderen", "vrouwen", "niet_westerse_migratieachtergrond"} <= set(groups)
    assert groups["ouderen"]["working_elements"] and groups["ouderen"]["approaches"]
    assert all(a.owner_id is None for group in groups.values() for a in group["approaches"])
    steps = {step["key"]: step for step in result["ladder_steps"]}
    assert steps["2.3"]["approaches"]
    levels = [a.effect_level or 0 for a in groups["ouderen"]["approaches"]]
    assert levels == sorted(levels, reverse=True)  # best evidence first
    assert result["general_elements"]
