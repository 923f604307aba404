"""Property-based tests (hypothesis) of the catalogue exchange files (``catalogue.exchange``, JSON and XLSX).

- any bytes, JSON document or damaged workbook is parsed or refused with ``CatalogueFileError``, never a crash;
- a valid catalogue imports, exports and imports again unchanged, through JSON and through XLSX (the round trip),
  so a second import changes nothing;
- one bad field rejects the whole file (nothing written) and the problem names its entry and field (JSON) or its
  sheet, row and column (XLSX).

(``test_exchange.py`` fuzzes arbitrary entries against a dry run; these add the round trip and the damaged files.)
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kansrijk.catalogue import content, exchange, services
from kansrijk.catalogue import vocabulary as v
from kansrijk.catalogue.models import Approach, LocalOffer

DB = settings(max_examples=10, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëŁłŚśĄąİıŞşĞğÇçÖÜابتثجحخدرسعلم"
TEXT = st.builds(lambda first, rest: (first + rest).strip(), st.sampled_from(LETTERS),
                 st.text(alphabet=LETTERS + " ,.-", max_size=40))


def sub_list(values):
    return st.lists(st.sampled_from(list(values)), unique=True, max_size=3)


def decimal_of(max_digits: int, places: int):
    # Values a decimal column of this size stores exactly, written as an int when whole (as the export writes them).
    return st.integers(0, 10 ** max_digits - 1).map(lambda n: Decimal(n).scaleb(-places)).map(
        lambda d: int(d) if d == d.to_integral() else float(d))


@st.composite
def entries(draw):
    trede = sorted(draw(st.lists(st.integers(1, 6), min_size=2, max_size=2)))
    entry = {
        "slug": draw(st.from_regex(content.SLUG_RE, fullmatch=True).filter(lambda s: len(s) <= 60)),
        "name": draw(TEXT),
        "kind": draw(st.sampled_from(v.Kind.values)),
        "goal": draw(st.sampled_from(["", *v.Goal.values])),
        "status": draw(st.sampled_from(["", *v.Status.values])),
        "description": draw(TEXT),
        "provider": draw(TEXT),
        "trede_min": trede[0], "trede_max": trede[1],
        "min_hours_per_week": draw(st.none() | decimal_of(3, 1)),
        "cost_per_participant_eur": draw(st.none() | decimal_of(8, 2)),
        "benefit_retained": draw(st.none() | st.booleans()),
        "effect_level": draw(st.none() | st.integers(1, 4)),
        "approach_types": draw(sub_list(v.ApproachType.values)),
        "target_groups": draw(sub_list(v.TargetGroup.values)),
        "regimes": draw(sub_list(v.Regime.values)),
        "ladder_steps": draw(sub_list(v.LADDER_STEPS)),
        "pitfalls": draw(st.lists(TEXT, max_size=2)),
        "results": draw(st.lists(st.fixed_dictionaries({
            "description": TEXT, "value": st.none() | decimal_of(6, 2), "unit": st.sampled_from(["", "personen", "%"]),
            "period": st.sampled_from(["", "2024"]), "source": st.just("")}), max_size=2)),
    }
    if draw(st.booleans()):
        entry["local_offer"] = {"capacity": draw(st.integers(0, 500)), "contact_person": draw(TEXT),
                                "contact_email": "loket@gemeente.example", "active": True,
                                "cost_per_participant_eur": draw(st.none() | decimal_of(6, 2))}
    return entry


CATALOGUES = st.lists(entries(), min_size=1, max_size=3, unique_by=lambda e: e["slug"])


def document(approaches) -> bytes:
    return json.dumps({"format": exchange.FORMAT, "version": 1, "approaches": approaches}, ensure_ascii=False).encode()


def stored(municipality) -> dict:
    approaches = Approach.objects.filter(owner=municipality).prefetch_related("facets", "results", "working_elements")
    values = {a.slug: services._normalised(services.entry_from_approach(a)) for a in approaches}
    offers = {o.approach.slug: (o.capacity, o.contact_person, o.cost_per_participant_eur)
              for o in LocalOffer.objects.filter(municipality=municipality).select_related("approach")}
    return {"approaches": values, "offers": offers}


def counts() -> tuple[int, int]:
    return Approach.objects.count(), LocalOffer.objects.count()


# --- Any input: parsed or refused clearly ------------------------------------------------------------------------

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                      max_size=3), max_leaves=10)


@FAST
@given(value=JSON_VALUES, wrap=st.booleans())
@example(value=None, wrap=False)
def test_any_json_document_is_parsed_or_refused_clearly(value, wrap):
    data = (document(value) if wrap else json.dumps(value).encode())
    try:
        parsed = exchange.parse_catalogue_file(data, "x.json")
    except exchange.CatalogueFileError as error:
        assert str(error)
    else:
        assert all(problem.place and problem.message for problem in parsed.problems)


@pytest.mark.parametrize("data", [
    b"[" * 100_000,  # Python's json module hit its recursion limit: a server error on upload
    b"9" * 5000,  # Python refuses to convert integers of more than 4,300 digits: a ValueError
    b'{"format": "kansrijk-catalogus", "approaches": [{"slug": "a", "capacity": ' + b"1" * 5000 + b"}]}",
])
def test_deep_nesting_and_absurd_numbers_are_refused_clearly(data):
    with pytest.raises(exchange.CatalogueFileError, match="geen leesbare JSON"):
        exchange.parse_catalogue_file(data, "x.json")


def _workbook_with_sheet(sheet_xml_edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(exchange.export_xlsx(approaches=Approach.objects.none())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, sheet_xml_edit(data) if name == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


@pytest.mark.django_db
@settings(FAST, max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(1, 300), junk=st.binary(max_size=20))
@example(cut=1, junk=b"<row><c t='n'><v>inf</v></c></row>")
def test_a_damaged_workbook_is_refused_clearly(cut, junk):
    # openpyxl reads a sheet lazily, so broken XML only fails while the rows are read: once a server error.
    data = _workbook_with_sheet(lambda xml: xml[:-cut] + junk)
    try:
        exchange.parse_catalogue_file(data, "x.xlsx")
    except exchange.CatalogueFileError as error:
        assert "XLSX" in str(error) or "werkblad" in str(error)


# --- Valid catalogues: import, export, import again unchanged -----------------------------------------------------

@pytest.fixture
def admin(world):
    return world.users["beheerder"]


@DB
@given(approaches=CATALOGUES, file_format=st.sampled_from(["json", "xlsx"]))
def test_a_valid_catalogue_round_trips_and_a_second_import_changes_nothing(world, admin, approaches, file_format):
    with transaction.atomic():
        first = exchange.import_catalogue(exchange.parse_catalogue_file(document(approaches), "x.json"),
                                          municipality=world.muni, by=admin)
        assert first.ok, first.problems
        assert first.created == len(approaches)
        before = stored(world.muni)
        assert set(before["approaches"]) == {entry["slug"] for entry in approaches}
        for entry in approaches:
            assert before["approaches"][entry["slug"]] == services._normalised(
                {k: val for k, val in entry.items() if k != "local_offer"})
        if file_format == "json":
            data = exchange.export_json(municipality=world.muni).encode()
        else:
            data = exchange.export_xlsx(municipality=world.muni)
        again = exchange.import_catalogue(exchange.parse_catalogue_file(data, f"x.{file_format}"),
                                          municipality=world.muni, by=admin)
        assert again.ok, again.problems
        assert (again.created, again.updated) == (0, 0) and again.unchanged == len(approaches)
        assert stored(world.muni) == before
        transaction.set_rollback(True)


CORRUPTIONS = [
    ("name", ""), ("trede_min", 7), ("trede_max", "zes"), ("min_hours_per_week", 999.96),
    ("cost_per_participant_eur", 99999999.999), ("goal", "geld"), ("target_groups", ["mannen"]),
    ("description", "Tekst\x00met NUL"), ("provider", "losse \ud800 surrogaat"), ("effect_level", 5),
    ("results", [{"description": "", "value": 1}]), ("benefit_retained", "misschien"),
]


@DB
@given(approaches=CATALOGUES, index=st.integers(0, 2), corruption=st.sampled_from(CORRUPTIONS))
@example(approaches=[{"slug": "a", "name": "A", "kind": "aanpak"}], index=0, corruption=("min_hours_per_week", 999.96))
def test_one_bad_field_rejects_the_file_and_names_the_entry_and_field(world, admin, approaches, index, corruption):
    # 999.96 hours and € 99,999,999.999 passed the size check and then overflowed their decimal columns once
    # rounded (a server error halfway through the import).
    field, value = corruption
    index = min(index, len(approaches) - 1)
    approaches = [dict(entry) for entry in approaches]
    approaches[index][field] = value
    with transaction.atomic():
        before = counts()
        summary = exchange.import_catalogue(exchange.parse_catalogue_file(
            json.dumps({"format": exchange.FORMAT, "approaches": approaches}).encode(), "x.json"),
            municipality=world.muni, by=admin)
        assert not summary.ok
        assert counts() == before
        places = [problem.place for problem in summary.problems]
        assert any(place.startswith(f"aanpak {index + 1} ") and f"veld {field}" in place for place in places), places
        transaction.set_rollback(True)
