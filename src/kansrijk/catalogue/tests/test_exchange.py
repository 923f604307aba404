import io
import json

import pytest
from openpyxl import load_workbook

from kansrijk.catalogue import exchange, services
from kansrijk.catalogue.models import Approach, LocalOffer

from .factories import approach


@pytest.fixture
def shared(world):
    """Voorbeeldstad's catalogue: one own approach with facts and results, a national one, both on its menukaart."""
    admin = world.users["beheerder"]
    own = approach(owner=world.muni, slug="buurtkamer-noord", name="Buurtkamer Noord", goal="activering",
                   target_groups=["vrouwen", "niet_westerse_migratieachtergrond"], ladder_steps=["1", "2.1"],
                   regimes=["participatiewet", "ioaw"], trede_min=1, trede_max=2, min_hours_per_week=4,
                   cost_per_participant_eur=350.5, benefit_retained=True, working_elements=["hc-tijd-en-caseload"],
                   pitfalls=["Werving kost tijd", "Kinderopvang regelen"], local_working_elements=["Vaste begeleider"],
                   results=[{"description": "Deelnemers in 2024", "value": 31, "unit": "personen", "period": "2024",
                             "source": ""}])
    national = approach(slug="fip", name="FIP", sources={"name": "seed-000:L300"})
    services.set_local_offer(approach=own, municipality=world.muni, by=admin,
                             values={"capacity": 20, "contact_person": "Fatima de Vries", "intake_moments": "maandelijks"})
    services.set_local_offer(approach=national, municipality=world.muni, by=admin,
                             values={"capacity": 300, "cost_per_participant_eur": 443})
    return own, national


def roundtrip(world, data, filename):
    """Export from Voorbeeldstad, then import into Buurdorp in a fresh installation (own approach gone)."""
    parsed = exchange.parse_catalogue_file(data, filename)
    Approach.objects.filter(owner=world.muni).delete()
    buurdorp_admin = world.users["beheerder"]
    buurdorp_admin.municipalities.add(world.other_muni)
    return exchange.import_catalogue(parsed, municipality=world.other_muni, by=buurdorp_admin)


@pytest.mark.parametrize("file_format", ["json", "xlsx"])
def test_catalogue_round_trips_through_both_formats(world, shared, file_format):
    own, _ = shared
    before = services.entry_from_approach(Approach.objects.prefetch_related("facets", "results",
                                                                            "working_elements").get(pk=own.pk))
    if file_format == "json":
        data = exchange.export_json(municipality=world.muni).encode()
    else:
        data = exchange.export_xlsx(municipality=world.muni)
    summary = roundtrip(world, data, f"catalogus.{file_format}")
    assert summary.ok, summary.problems
    assert summary.created == 1 and summary.skipped == ["fip"] and summary.local_offers == 2
    copied = Approach.objects.prefetch_related("facets", "results", "working_elements").get(slug="buurtkamer-noord")
    assert copied.owner == world.other_muni
    after = services.entry_from_approach(copied)
    assert {k: v for k, v in after.items() if k != "version"} == {k: v for k, v in before.items() if k != "version"}
    offer = LocalOffer.objects.get(municipality=world.other_muni, approach__slug="fip")
    assert offer.capacity == 300 and offer.cost_per_participant_eur == 443
    assert LocalOffer.objects.get(municipality=world.other_muni, approach=copied).contact_person == "Fatima de Vries"


def test_json_export_carries_format_vocabulary_and_local_offer(world, shared):
    document = json.loads(exchange.export_json(municipality=world.muni))
    assert document["format"] == "kansrijk-catalogus" and document["municipality"]["cbs_code"] == "9999"
    entries = {entry["slug"]: entry for entry in document["approaches"]}
    assert entries["buurtkamer-noord"]["local_offer"]["capacity"] == 20
    assert entries["buurtkamer-noord"]["owner"] == "9999"
    assert entries["fip"]["sources"] == {"name": "seed-000:L300"}


def test_import_never_overwrites_someone_elses_approach(world, shared):
    _, national = shared
    document = json.loads(exchange.export_json())
    for item in document["approaches"]:
        item["description"] = "Overschreven"
    parsed = exchange.parse_catalogue_file(json.dumps(document).encode(), "x.json")
    world.users["beheerder"].municipalities.add(world.other_muni)
    summary = exchange.import_catalogue(parsed, municipality=world.other_muni, by=world.users["beheerder"])
    assert sorted(summary.skipped) == ["buurtkamer-noord", "fip"]
    national.refresh_from_db()
    assert national.description != "Overschreven"


def test_invalid_json_import_lists_every_problem_and_writes_nothing(world, shared):
    document = json.loads(exchange.export_json(municipality=world.muni))
    document["approaches"][0]["goal"] = "geld"
    document["approaches"][1]["ladder_steps"] = ["9"]
    document["approaches"].append({"slug": "nieuw", "name": "Nieuw", "kind": "aanpak",
                                   "local_offer": {"capacity": "veel"}})
    before = (Approach.objects.count(), LocalOffer.objects.count())
    parsed = exchange.parse_catalogue_file(json.dumps(document).encode(), "x.json")
    summary = exchange.import_catalogue(parsed, municipality=world.muni, by=world.users["beheerder"])
    messages = [str(problem) for problem in summary.problems]
    assert any("aanpak 1 (buurtkamer-noord), veld goal" in m for m in messages)
    assert any("aanpak 2 (fip), veld ladder_steps" in m for m in messages)
    assert any("aanpak 3 (nieuw), local_offer.capacity" in m for m in messages)
    assert (Approach.objects.count(), LocalOffer.objects.count()) == before


def test_invalid_xlsx_import_names_sheet_row_and_column(world, shared):
    workbook = load_workbook(io.BytesIO(exchange.export_xlsx(municipality=world.muni)))
    sheet = workbook["Aanpakken"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("trede_min") + 1, value="hoog")
    sheet.cell(row=3, column=header.index("kind") + 1, value="fabriek")
    workbook["Resultaten"].append(["bestaat-niet", "x", 1, "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = exchange.parse_catalogue_file(buffer.getvalue(), "catalogus.xlsx")
    summary = exchange.import_catalogue(parsed, municipality=world.muni, by=world.users["beheerder"])
    messages = [str(problem) for problem in summary.problems]
    column = chr(ord("A") + header.index("trede_min"))
    assert any(m.startswith(f"werkblad Aanpakken, rij 2, kolom {column} (trede_min)") for m in messages), messages
    assert any(m.startswith("werkblad Aanpakken, rij 3, kolom") and "(kind)" in m for m in messages), messages
    assert any(m.startswith("werkblad Resultaten, rij") for m in messages), messages


def test_dry_run_writes_nothing(world, shared):
    data = exchange.export_json(municipality=world.muni).encode()
    Approach.objects.filter(owner=world.muni).delete()
    summary = exchange.import_catalogue(exchange.parse_catalogue_file(data, "x.json"), municipality=world.muni,
                                        by=world.users["beheerder"], dry_run=True)
    assert summary.ok and summary.created == 1
    assert not Approach.objects.filter(slug="buurtkamer-noord").exists()


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"{niet json", "x.json", "geen leesbare JSON"),
    (b'{"format": "iets-anders"}', "x.json", "geen catalogusbestand"),
    (b"PK\x03\x04kapot", "x.xlsx", "geen leesbaar XLSX"),
    (b"a;b", "x.csv", "JSON- of XLSX"),
])
def test_unreadable_files_are_refused_clearly(data, filename, message):
    with pytest.raises(exchange.CatalogueFileError, match=message):
        exchange.parse_catalogue_file(data, filename)


def test_only_administrators_import(world, shared):
    parsed = exchange.parse_catalogue_file(exchange.export_json().encode(), "x.json")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        exchange.import_catalogue(parsed, municipality=world.muni, by=world.users["beleidsmedewerker"])


# --- Fuzzing: no file, however wrong, crashes the import or gets half-written -----------------------------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kansrijk.catalogue import content  # noqa: E402

SCALARS = st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False) | st.text(max_size=12)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                           max_size=3), max_leaves=8)
FIELDS = st.sampled_from(sorted(content.KNOWN_FIELDS | {"local_offer", "owner", "onbekend"}))
# Entries that are valid but for a few random fields, so the fuzzing also reaches the writing code.
NEARLY_VALID = st.builds(
    lambda slug, extra: {"slug": slug, "name": "Aanpak", "kind": "aanpak", **extra},
    st.from_regex(content.SLUG_RE, fullmatch=True).filter(lambda slug: len(slug) <= 100),
    st.dictionaries(FIELDS.filter(lambda name: name not in ("slug", "kind")), VALUES, max_size=3),
)
ENTRIES = st.dictionaries(FIELDS, VALUES, max_size=8) | NEARLY_VALID


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(approaches=st.lists(ENTRIES, max_size=4))
@example(approaches=[{"slug": "x", "local_offer": True}])  # once crashed the check on retired approaches
def test_any_catalogue_document_is_imported_whole_or_refused_with_problems(world, approaches):
    before = (Approach.objects.count(), LocalOffer.objects.count())
    document = json.dumps({"format": "kansrijk-catalogus", "version": 1, "approaches": approaches}).encode()
    parsed = exchange.parse_catalogue_file(document, "x.json")
    summary = exchange.import_catalogue(parsed, municipality=world.muni, by=world.users["beheerder"], dry_run=True)
    assert all(problem.place and problem.message for problem in summary.problems)
    assert (Approach.objects.count(), LocalOffer.objects.count()) == before


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_are_refused_clearly_or_parsed(data):
    for filename in ("x.json", "x.xlsx"):
        try:
            exchange.parse_catalogue_file(data, filename)
        except exchange.CatalogueFileError as error:
            assert str(error)


def test_control_characters_are_refused_not_a_database_error(world):
    document = {"format": "kansrijk-catalogus", "approaches": [
        {"slug": "nul", "name": "Naam\x00met nul", "kind": "aanpak", "local_offer": {"notes": "x\x00"}}]}
    parsed = exchange.parse_catalogue_file(json.dumps(document).encode(), "x.json")
    summary = exchange.import_catalogue(parsed, municipality=world.muni, by=world.users["beheerder"])
    messages = [str(problem) for problem in summary.problems]
    assert any("veld name" in m for m in messages) and any("local_offer.notes" in m for m in messages)
    assert not Approach.objects.exists()


def test_import_cannot_offer_an_approach_retired_here(world, shared):
    other = approach(owner=world.other_muni, slug="oud-buurdorp")
    other.retired_at = other.created_at
    other.save()
    document = {"format": "kansrijk-catalogus", "approaches": [
        {"slug": "oud-buurdorp", "name": "Oud", "kind": "aanpak", "local_offer": {"capacity": 3}}]}
    parsed = exchange.parse_catalogue_file(json.dumps(document).encode(), "x.json")
    summary = exchange.import_catalogue(parsed, municipality=world.muni, by=world.users["beheerder"])
    assert any("uit de catalogus gehaald" in str(problem) for problem in summary.problems)
    assert not LocalOffer.objects.filter(approach=other).exists()
