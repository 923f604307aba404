"""The shipped catalogue content is data under review: these tests keep it valid and faithful to its sources."""

import re

import pytest

from kansrijk.catalogue import content
from kansrijk.catalogue import vocabulary as v

ENTRIES = content.shipped_approaches()


def number_forms(value) -> set[str]:
    """Ways a number can be printed in the Dutch sources: 1200, 1.200, 1,5, 12,50, €1.600."""
    number = content.parse_number(value)
    forms = set()
    if number == number.to_integral():
        whole = int(number)
        forms |= {str(whole), f"{whole:,}".replace(",", "."), f"{whole:,}".replace(",", " ")}
    else:
        text = format(number.normalize(), "f")
        forms |= {text, text.replace(".", ",")}
    return forms


UNITS = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf",
         "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"]
TENS = {20: "twintig", 30: "dertig", 40: "veertig", 50: "vijftig", 60: "zestig", 70: "zeventig", 80: "tachtig",
        90: "negentig"}


def dutch_number_words(number: int) -> tuple[str, ...]:
    """How the sources write small numbers in words: twaalf, zevenentwintig, tweeëntwintig, honderd."""
    if number == 1:
        return ("een", "één")
    if 1 < number < 20:
        return (UNITS[number],)
    if number in TENS:
        return (TENS[number],)
    if 20 < number < 100:
        unit, tens = UNITS[number % 10], TENS[number - number % 10]
        return (f"{unit}en{tens}", f"{unit}ën{tens}")
    return ("honderd",) if number == 100 else ()


def appears_in(value, text: str) -> bool:
    number = content.parse_number(value)
    if number == number.to_integral() and any(
        re.search(rf"\b{word}\b", text.lower()) for word in dutch_number_words(int(number))
    ):
        return True
    digits_only = re.sub(r"(?<=\d)[\s.](?=\d{3}\b)", "", text)
    return any(re.search(rf"(?<![\d,.]){re.escape(form)}(?![\d])", candidate)
               for form in number_forms(value) for candidate in (text, digits_only))


def test_shipped_content_is_valid():
    problems = content.validate_shipped_content()
    assert problems == [], "\n".join(map(str, problems[:50]))


def test_catalogue_covers_every_source_document_and_kind():
    documents = {ref.document for _, entry in ENTRIES for refs in entry["sources"].values()
                 for ref in content.parse_references(refs)}
    assert documents == set(content.source_documents())
    assert {entry["kind"] for _, entry in ENTRIES} == set(v.Kind.values)
    assert len(ENTRIES) >= 100


def test_every_entry_names_its_source():
    for filename, entry in ENTRIES:
        assert "name" in entry["sources"], f"{filename}: {entry['slug']} has no source for its name"


@pytest.mark.parametrize(("filename", "entry"), ENTRIES, ids=[entry["slug"] for _, entry in ENTRIES])
def test_numbers_appear_in_the_lines_they_cite(filename, entry):
    """Every number is checked against its source text, so a typo or a guess fails the suite."""
    checks = []
    for field in content.INTEGER_FIELDS + content.NUMBER_FIELDS:
        if entry.get(field) is None or field in ("trede_min", "trede_max"):
            continue
        cited = "\n".join(content.cited_text(r) for r in content.parse_references(entry["sources"][field]))
        if field == "duration_weeks" and re.search(r"maand|jaar", cited):
            continue  # converted from months or years: the weeks themselves are not in the text
        if True:
            checks.append((field, entry[field], entry["sources"][field]))
    for number, result in enumerate(entry.get("results") or [], start=1):
        if result.get("value") is not None:
            checks.append((f"results[{number}]", result["value"], result["source"]))
    for field, value, references in checks:
        text = "\n".join(content.cited_text(ref) for ref in content.parse_references(references))
        assert appears_in(value, text), f"{entry['slug']}.{field} = {value} not found in {references}"


def test_working_elements_cover_the_literature_findings():
    elements = content.working_elements()
    categories = {element["category"] for element in elements}
    assert categories == set(v.WorkingElementCategory.values)
    groups = {element["target_group"] for element in elements if element["category"] == "doelgroep"}
    assert {"ouderen", "vrouwen", "niet_westerse_migratieachtergrond", "statushouders"} <= groups
    # The literature lists nine work-first findings (seed 000, annex A.2.1 a–i).
    assert sum(element["category"] == "work_first" for element in elements) == 9


def test_working_element_labels_match_their_source_lines():
    """A sample against the text itself: each element's cited lines contain a key word of its label."""
    samples = {
        "wf-leerorientatie": "leeroriéntatie",
        "hc-motiverende-gespreksvoering": "Motiverende gespreksvoering",
        "lf-werk-als-therapie": "Werk als therapie",
        "mg-coach-of-maatje": "coach of maatje",
        "vr-apart-uitnodigen": "apart op te roepen",
        "lf-empowerment": "Empowerment",
    }
    by_key = {element["key"]: element for element in content.working_elements()}
    for key, phrase in samples.items():
        text = "\n".join(content.cited_text(ref) for ref in content.parse_references(by_key[key]["source"]))
        assert phrase.lower() in text.lower(), key


def test_validator_reports_every_problem_with_its_place():
    entry = {
        "slug": "Niet Geldig", "name": "", "kind": "iets", "goal": "geld", "trede_min": 7, "capacity": "veel",
        "target_groups": ["ouderen", "katten"], "working_elements": ["bestaat-niet"],
        "results": [{"description": "x", "value": "veel", "source": "seed-000:L1"}],
        "sources": {"goal": "seed-000:L999999", "capacity": "pagina 3"},
    }
    messages = [str(problem) for problem in content.validate_approach(entry, "test")]
    expected = ["veld slug", "veld name", "veld kind", "veld goal", "veld trede_min", "veld capacity",
                "veld target_groups", "veld working_elements", "results[1].value", "sources.goal", "sources.capacity"]
    for place in expected:
        assert any(place in message for message in messages), (place, messages)


def test_filled_field_without_source_is_rejected():
    entry = {"slug": "x", "name": "X", "kind": "aanpak", "provider": "Iemand", "sources": {"name": "seed-000:L1"}}
    messages = [str(problem) for problem in content.validate_approach(entry, "test")]
    assert any("provider" in message and "bronverwijzing" in message for message in messages)


SAMPLE_FACTS = [
    # (slug, field, expected value, phrase that must stand in the cited lines)
    ("opleiden-in-de-zorg-apeldoorn", "effect_level", 1, "niveau 1"),
    ("opleiden-in-de-zorg-apeldoorn", "benefit_retained", True, "behoud van uitkering"),
    ("fip-sittard-geleen", "capacity", 300, "300"),
    ("energiebox", "age_min", 50, "50"),
    ("participeren-met-perspectief-zaanstad", "caseload", "50 klanten per fte (SWT'ers op hbo-niveau op sociaal "
     "gebied)", "50 klanten"),
    ("participatieplaats", "trede_max", 2, "trede 1 of 2"),
]


@pytest.mark.parametrize(("slug", "field", "expected", "phrase"), SAMPLE_FACTS)
def test_sample_of_facts_against_the_source_text(slug, field, expected, phrase):
    entry = {e["slug"]: e for _, e in ENTRIES}[slug]
    assert entry[field] == expected
    text = "\n".join(content.cited_text(ref) for ref in content.parse_references(entry["sources"][field]))
    assert phrase.lower() in " ".join(text.split()).lower()


def test_sample_of_results_against_the_source_text():
    entries = {e["slug"]: e for _, e in ENTRIES}
    fip = {result["value"] for result in entries["fip-sittard-geleen"]["results"]}
    assert {71, 55, 16} <= fip  # 71 ended benefits against 55 in the control group (seed 000 L823–832)
    energiebox = [result["value"] for result in entries["energiebox"]["results"]]
    assert energiebox[:3] == [13, 6, 5]


def test_validator_limits_match_the_database_columns():
    from kansrijk.catalogue.models import Approach, ApproachResult

    for field, limit in content.MAX_LENGTHS.items():
        assert Approach._meta.get_field(field).max_length == limit, field
    for field, limit in content.RESULT_MAX_LENGTHS.items():
        assert ApproachResult._meta.get_field(field).max_length == limit, field
    for field, (digits, places) in content.NUMBER_LIMITS.items():
        column = Approach._meta.get_field(field)
        assert (column.max_digits, column.decimal_places) == (digits, places), field
