"""Reading and validating catalogue content: the shipped YAML files and catalogue exchange files.

An entry is a plain dict in the shape of ``content/README.md``. Validation collects every problem with its
place (file, entry, field) instead of stopping at the first, so a reviewer or an administrator importing a
file sees all that is wrong at once. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml

from . import vocabulary as v

CONTENT_DIR = Path(__file__).resolve().parent / "content"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Control characters other than tab and line breaks: PostgreSQL refuses NUL, and none belongs in a text. Lone
# surrogates (JSON may write "\ud800") cannot be encoded for the database at all.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
REFERENCE_RE = re.compile(r"^(?P<document>[a-z0-9-]+):L(?P<start>\d+)(?:-L?(?P<end>\d+))?$")

TEXT_FIELDS = (
    "name", "municipality", "region", "provider", "description", "target_group_description",
    "language_level", "entry_criteria", "duration", "phases_description", "group_size", "intake_moments",
    "contact_frequency", "caseload", "costs", "funding", "job_guarantee",
)  # fmt: skip
INTEGER_FIELDS = ("trede_min", "trede_max", "age_min", "age_max", "capacity")
NUMBER_FIELDS = ("min_hours_per_week", "duration_weeks", "cost_per_participant_eur")
BOOLEAN_FIELDS = ("benefit_retained", "job_search_exemption")
CHOICE_FIELDS = {
    "kind": v.Kind,
    "goal": v.Goal,
    "status": v.Status,
    "srg_category": v.SrgCategory,
}
LIST_CHOICE_FIELDS = {
    "approach_types": v.ApproachType.values,
    "target_groups": v.TargetGroup.values,
    "phases": v.Phase.values,
    "ladder_steps": list(v.LADDER_STEPS),
    "regimes": v.Regime.values,
}
TEXT_LIST_FIELDS = ("local_working_elements", "pitfalls")
KNOWN_FIELDS = (
    {"slug", "kind", "effect_level", "results", "working_elements", "sources"}
    | set(TEXT_FIELDS)
    | set(INTEGER_FIELDS)
    | set(NUMBER_FIELDS)
    | set(BOOLEAN_FIELDS)
    | set(CHOICE_FIELDS)
    | set(LIST_CHOICE_FIELDS)
    | set(TEXT_LIST_FIELDS)
)
RESULT_FIELDS = {"description", "value", "unit", "period", "source"}
# Column sizes of catalogue.models (a test keeps them equal), checked here so that a too long text is a reported
# problem instead of a database error halfway through an import.
MAX_LENGTHS = {
    "slug": 120, "name": 200, "municipality": 300, "region": 200, "provider": 300, "language_level": 100,
    "duration": 300, "group_size": 300, "intake_moments": 300, "contact_frequency": 300, "caseload": 300,
    "job_guarantee": 300,
}  # fmt: skip
RESULT_MAX_LENGTHS = {"unit": 60, "period": 120, "source": 200}
INTEGER_LIMITS = {"trede_min": (1, 6), "trede_max": (1, 6), "age_min": (0, 120), "age_max": (0, 120),
                  "capacity": (0, 10**7)}
# (max_digits, decimal_places) of the decimal columns.
NUMBER_LIMITS = {"min_hours_per_week": (4, 1), "duration_weeks": (6, 1), "cost_per_participant_eur": (10, 2)}
RESULT_VALUE_LIMITS = (14, 2)


@dataclass(frozen=True)
class ContentProblem:
    place: str
    message: str

    def __str__(self):
        return f"{self.place}: {self.message}"


@dataclass(frozen=True)
class Reference:
    document: str
    start: int
    end: int

    def __str__(self):
        if self.start == self.end:
            return f"{self.document}:L{self.start}"
        return f"{self.document}:L{self.start}-L{self.end}"


def parse_references(text: str) -> list[Reference]:
    """``"seed-000:L12-L15; seed-001:L3"`` → references; raises ValueError naming the part it cannot read."""
    references = []
    for part in str(text).split(";"):
        part = part.strip()
        match = REFERENCE_RE.match(part)
        if not match:
            raise ValueError(f"bronverwijzing '{part}' heeft niet de vorm document:L12-L15")
        start = int(match["start"])
        end = int(match["end"] or start)
        if end < start:
            raise ValueError(f"bronverwijzing '{part}' eindigt voor het begin")
        references.append(Reference(match["document"], start, end))
    return references


@cache
def source_documents() -> dict[str, dict]:
    documents = yaml.safe_load((CONTENT_DIR / "sources.yaml").read_text(encoding="utf-8"))
    return {document["key"]: document for document in documents}


@cache
def source_lines(document_key: str) -> tuple[str, ...]:
    document = source_documents()[document_key]
    return tuple((CONTENT_DIR / document["file"]).read_text(encoding="utf-8").splitlines())


def cited_text(reference: Reference) -> str:
    lines = source_lines(reference.document)
    return "\n".join(lines[reference.start - 1 : reference.end])


@cache
def working_elements() -> tuple[dict, ...]:
    return tuple(yaml.safe_load((CONTENT_DIR / "working-elements.yaml").read_text(encoding="utf-8")))


def approach_files() -> list[Path]:
    return sorted((CONTENT_DIR / "approaches").glob("*.yaml"))


def load_approach_file(path: Path) -> list[dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path.name}: verwacht een lijst van aanpakken")
    return entries


def shipped_approaches() -> list[tuple[str, dict]]:
    """Every shipped entry with the name of the file it comes from."""
    return [(path.name, entry) for path in approach_files() for entry in load_approach_file(path)]


def is_filled(value) -> bool:
    return value not in (None, "", [], {})


def validate_working_elements(elements, *, check_sources=True) -> list[ContentProblem]:
    problems = []
    seen = set()
    for index, element in enumerate(elements, start=1):
        place = f"werkzaam element {index} ({element.get('key', '?')})"
        key = element.get("key", "")
        if not SLUG_RE.match(str(key)):
            problems.append(ContentProblem(place, "sleutel ontbreekt of bevat andere tekens dan a-z, 0-9 en -"))
        if key in seen:
            problems.append(ContentProblem(place, "sleutel komt twee keer voor"))
        seen.add(key)
        if element.get("category") not in v.WorkingElementCategory.values:
            problems.append(ContentProblem(place, f"onbekende categorie '{element.get('category')}'"))
        if element.get("category") == v.WorkingElementCategory.DOELGROEP and element.get(
            "target_group"
        ) not in v.TargetGroup.values:
            problems.append(ContentProblem(place, "een doelgroepelement heeft een geldige doelgroep nodig"))
        if not element.get("label"):
            problems.append(ContentProblem(place, "label ontbreekt"))
        if check_sources:
            problems += _check_reference(place, "source", element.get("source"))
    return problems


def validate_approach(entry: dict, place: str, *, element_keys=None, require_sources=True) -> list[ContentProblem]:
    """Every problem with one approach entry; ``require_sources`` is off for locally added approaches."""
    problems: list[ContentProblem] = []

    def problem(field, message):
        problems.append(ContentProblem(f"{place}, veld {field}", message))

    if not isinstance(entry, dict):
        return [ContentProblem(place, "verwacht een object met velden")]
    for field in sorted(set(entry) - KNOWN_FIELDS):
        problem(field, "onbekend veld")
    if not isinstance(entry.get("slug"), str) or not SLUG_RE.match(entry["slug"]):
        problem("slug", "ontbreekt of bevat andere tekens dan a-z, 0-9 en -")
    if not str(entry.get("name", "")).strip():
        problem("name", "naam ontbreekt")
    for field in TEXT_FIELDS:
        if field in entry and entry[field] is not None and not isinstance(entry[field], str):
            problem(field, "verwacht tekst")
        elif isinstance(entry.get(field), str) and len(entry[field]) > MAX_LENGTHS.get(field, 100_000):
            problem(field, f"te lang: maximaal {MAX_LENGTHS.get(field, 100_000)} tekens")
        elif isinstance(entry.get(field), str) and CONTROL_RE.search(entry[field]):
            problem(field, "bevat een stuurteken")
    for field in INTEGER_FIELDS:
        value = entry.get(field)
        low, high = INTEGER_LIMITS[field]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problem(field, f"verwacht een geheel getal, niet '{value}'")
        elif isinstance(value, int) and not low <= value <= high:
            problem(field, f"moet tussen {low} en {high} liggen")
    if all(isinstance(entry.get(f), int) for f in ("trede_min", "trede_max")) and entry["trede_min"] > entry["trede_max"]:
        problem("trede_min", "hoger dan trede_max")
    if all(isinstance(entry.get(f), int) for f in ("age_min", "age_max")) and entry["age_min"] > entry["age_max"]:
        problem("age_min", "hoger dan age_max")
    for field in NUMBER_FIELDS:
        value = entry.get(field)
        if value is not None and not fits(value, *NUMBER_LIMITS[field]):
            problem(field, f"verwacht een getal van 0 tot {10 ** (NUMBER_LIMITS[field][0] - NUMBER_LIMITS[field][1])}, "
                           f"niet '{value}'")
    for field in BOOLEAN_FIELDS:
        if entry.get(field) is not None and not isinstance(entry.get(field), bool):
            problem(field, "verwacht true, false of null")
    for field, choices in CHOICE_FIELDS.items():
        value = entry.get(field)
        allowed = choices.values
        if not isinstance(value, (str, type(None))):
            problem(field, f"moet een van {', '.join(allowed)} zijn")
        elif field == "kind":
            if value not in allowed:
                problem(field, f"moet een van {', '.join(allowed)} zijn")
        elif value not in ("", None, *allowed):
            problem(field, f"onbekende waarde '{value}'; toegestaan: {', '.join(allowed)}")
    effect_level = entry.get("effect_level")
    if effect_level is not None and (isinstance(effect_level, bool) or effect_level not in (1, 2, 3, 4)):
        problem("effect_level", "moet 1, 2, 3, 4 of leeg zijn")
    for field, allowed in LIST_CHOICE_FIELDS.items():
        values = entry.get(field) or []
        if not isinstance(values, list):
            problem(field, "verwacht een lijst")
            continue
        for value in values:
            if not isinstance(value, str) or value not in allowed:
                problem(field, f"onbekende waarde '{value}'; toegestaan: {', '.join(allowed)}")
        if len(set(map(str, values))) != len(values):
            problem(field, "bevat een waarde twee keer")
    for field in TEXT_LIST_FIELDS:
        values = entry.get(field) or []
        if not isinstance(values, list) or not all(isinstance(item, str) and item.strip() for item in values):
            problem(field, "verwacht een lijst met teksten")
        elif any(CONTROL_RE.search(item) for item in values):
            problem(field, "bevat een stuurteken")
    keys = element_keys if element_keys is not None else {element["key"] for element in working_elements()}
    linked = entry.get("working_elements") or []
    if not isinstance(linked, list):
        problem("working_elements", "verwacht een lijst")
        linked = []
    for key in linked:
        if not isinstance(key, str) or key not in keys:
            problem("working_elements", f"onbekend werkzaam element '{key}'")
    results = entry.get("results") or []
    if not isinstance(results, list):
        problem("results", "verwacht een lijst")
        results = []
    for number, result in enumerate(results, start=1):
        if not isinstance(result, dict):
            problem(f"results[{number}]", "verwacht een object")
            continue
        for field in sorted(set(result) - RESULT_FIELDS):
            problem(f"results[{number}].{field}", "onbekend veld")
        if not isinstance(result.get("description"), str) or not result["description"].strip():
            problem(f"results[{number}].description", "omschrijving ontbreekt")
        elif CONTROL_RE.search(result["description"]):
            problem(f"results[{number}].description", "bevat een stuurteken")
        if result.get("value") is not None and not fits(result["value"], *RESULT_VALUE_LIMITS, signed=True):
            problem(f"results[{number}].value", f"verwacht een getal, niet '{result['value']}'")
        for field, limit in RESULT_MAX_LENGTHS.items():
            text = result.get(field)
            if text is not None and (not isinstance(text, str) or len(text) > limit or CONTROL_RE.search(text)):
                problem(f"results[{number}].{field}", f"verwacht tekst van hoogstens {limit} tekens, zonder stuurtekens")
        if require_sources:
            problems += _check_reference(f"{place}, results[{number}]", "source", result.get("source"))
        elif is_filled(result.get("source")):
            problems += _check_reference(f"{place}, results[{number}]", "source", result.get("source"), exists=False)

    sources = entry.get("sources") or {}
    if not isinstance(sources, dict):
        problem("sources", "verwacht een overzicht veld → bronverwijzing")
        sources = {}
    for field in sorted(set(sources) - KNOWN_FIELDS):
        problem(f"sources.{field}", "verwijst naar een onbekend veld")
    for field, reference in sources.items():
        if not isinstance(reference, str):
            problem(f"sources.{field}", "verwacht een bronverwijzing als tekst")
            continue
        problems += _check_reference(place, f"sources.{field}", reference, exists=require_sources)
    if require_sources:
        for field in sorted(KNOWN_FIELDS - {"slug", "kind", "sources", "results"}):
            if is_filled(entry.get(field)) and field not in sources:
                problem(field, "heeft een waarde maar geen bronverwijzing in sources")
    return problems


def _check_reference(place, field, text, *, exists=True) -> list[ContentProblem]:
    if not is_filled(text):
        return [ContentProblem(f"{place}, {field}", "bronverwijzing ontbreekt")] if exists else []
    try:
        references = parse_references(text)
    except ValueError as error:
        return [ContentProblem(f"{place}, {field}", str(error))]
    problems = []
    if not exists:
        return problems
    for reference in references:
        if reference.document not in source_documents():
            problems.append(ContentProblem(f"{place}, {field}", f"onbekend brondocument '{reference.document}'"))
        elif reference.end > len(source_lines(reference.document)):
            problems.append(
                ContentProblem(
                    f"{place}, {field}",
                    f"regel {reference.end} bestaat niet in {reference.document} "
                    f"({len(source_lines(reference.document))} regels)",
                )
            )
    return problems


def validate_shipped_content() -> list[ContentProblem]:
    problems = validate_working_elements(working_elements())
    element_keys = {element["key"] for element in working_elements()}
    seen: dict[str, str] = {}
    for filename, entry in _safe_shipped(problems):
        place = f"{filename}: {entry.get('slug', '?') if isinstance(entry, dict) else '?'}"
        problems += validate_approach(entry, place, element_keys=element_keys)
        slug = entry.get("slug") if isinstance(entry, dict) else None
        if slug in seen:
            problems.append(ContentProblem(place, f"slug komt ook voor in {seen[slug]}"))
        seen[slug] = filename
    return problems


def _safe_shipped(problems):
    for path in approach_files():
        try:
            entries = load_approach_file(path)
        except (ValueError, yaml.YAMLError) as error:
            problems.append(ContentProblem(path.name, f"onleesbaar: {error}"))
            continue
        for entry in entries:
            yield path.name, entry


def parse_number(value) -> Decimal | None:
    """A finite number from a number or a text with a decimal point or comma; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def fits(value, max_digits: int, decimal_places: int, *, signed: bool = False) -> bool:
    """Whether a value parses as a number that a decimal column of this size stores."""
    number = parse_number(value)
    if number is None or (number < 0 and not signed):
        return False
    limit = Decimal(10) ** (max_digits - decimal_places)
    if abs(number) >= limit:
        return False
    # The column stores the value rounded to its decimal places, and rounding can reach the limit (999.96 → 1000.0
    # in a column of 4 digits with 1 decimal): the database would refuse that halfway through an import.
    return abs(number.quantize(Decimal(1).scaleb(-decimal_places))) < limit
