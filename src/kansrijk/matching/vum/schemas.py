"""The VUM contracts as JSON Schemas, and their errors as Dutch messages with a place.

The OpenAPI files in ``specs/`` are VNG Realisatie's, unchanged (EUPL, see ``specs/LICENCE.md``). Two things in them
need resolving before a JSON Schema validator can use them (``/work/shared/standards/vum/README.md``):

- Polymorphic types are written as ``Parent.oneOf[Sub…]`` with ``Sub.allOf[Parent, own part]``. Taken literally a
  validator recurses forever (Parent → Sub → Parent …). Resolved, a subtype is its own part only, closed with
  ``additionalProperties: false`` so that the shapes can be told apart, and the parent accepts any one of them
  (``anyOf``: an empty object fits every shape, which ``oneOf`` would reject).
- The postcode pattern ends in a JavaScript ``/i`` flag; it becomes Python's inline ``(?i)``, so ``4622AB`` is valid.

OpenAPI 3.0 schemas are JSON Schema draft 4 with extensions, so the validator is draft 4's (``1.0`` is not an
integer) with the formats the contracts use: ``date``, ``int32`` and ``int64``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError

SPECS = Path(__file__).parent / "specs"

WERKZOEKENDEN = "werkzoekenden"
VACATURES = "vacatures"
KINDS = (WERKZOEKENDEN, VACATURES)


@dataclass(frozen=True)
class Contract:
    kind: str
    filename: str
    root: str  # the schema name of one item
    version: str


CONTRACTS = {
    WERKZOEKENDEN: Contract(WERKZOEKENDEN, "UM-Gemeente-WerkzoekendenProfielen-0.8.7.yaml", "Werkzoekende", "0.8.7"),
    VACATURES: Contract(VACATURES, "UM-Gemeente-Vacatures-0.8.2.yaml", "Vacature", "0.8.2"),
}


@dataclass(frozen=True)
class Problem:
    """One error in a document: where (a JSON path such as ``vacatures[3].werktijden``) and what, in Dutch."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"

    def as_dict(self) -> dict:
        return {"place": self.place, "message": self.message}


# --- Loading and resolving -------------------------------------------------------------------------------------------


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def resolve(schemas: dict) -> dict:
    """The contract's component schemas with polymorphism and JavaScript regex flags resolved (see module doc)."""
    resolved = copy.deepcopy(schemas)
    parents = {name for name, schema in schemas.items() if "oneOf" in schema}
    for name, schema in schemas.items():
        parts = schema.get("allOf") or []
        own = [part for part in parts if _ref_name(part.get("$ref", "")) not in parents]
        if not parts or len(own) == len(parts):
            continue
        properties = {}
        for part in own:
            if "$ref" in part:
                raise ValueError(f"{name}: a subtype's own part must be written out, not referenced")
            properties.update(part.get("properties", {}))
        resolved[name] = {"type": "object", "title": name, "properties": properties, "additionalProperties": False}
    for name in parents:
        resolved[name]["anyOf"] = resolved[name].pop("oneOf")
    _fix_patterns(resolved)
    return resolved


def _fix_patterns(node) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            pattern = current.get("pattern")
            if isinstance(pattern, str) and pattern.endswith("/i"):
                current["pattern"] = "(?i)" + pattern[:-2]
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


@functools.cache
def component_schemas(kind: str) -> dict:
    contract = CONTRACTS[kind]
    spec = yaml.safe_load((SPECS / contract.filename).read_text(encoding="utf-8"))
    return resolve(spec["components"]["schemas"])


def item_properties(kind: str) -> frozenset[str]:
    return frozenset(component_schemas(kind)[CONTRACTS[kind].root].get("properties", {}))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(instance) -> bool:
    if not isinstance(instance, str):
        return True
    return bool(_DATE.fullmatch(instance) and date.fromisoformat(instance))


@FORMATS.checks("int32")
def _is_int32(instance) -> bool:
    return not isinstance(instance, int) or isinstance(instance, bool) or -(2**31) <= instance < 2**31


@FORMATS.checks("int64")
def _is_int64(instance) -> bool:
    return not isinstance(instance, int) or isinstance(instance, bool) or -(2**63) <= instance < 2**63


@functools.cache
def validator(kind: str) -> Draft4Validator:
    root = {"$ref": f"#/components/schemas/{CONTRACTS[kind].root}", "components": {"schemas": component_schemas(kind)}}
    return Draft4Validator(root, format_checker=FORMATS)


# --- Validating ------------------------------------------------------------------------------------------------------


def place_of(prefix: str, path) -> str:
    text = prefix
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"


def validate_item(kind: str, item, prefix: str) -> list[Problem]:
    """Every schema error of one item, in Dutch, with its place; an empty list if the item conforms."""
    problems: list[Problem] = []
    seen = set()
    errors = sorted(validator(kind).iter_errors(item), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        for problem in _explain(kind, error, prefix):
            if (problem.place, problem.message) not in seen:
                seen.add((problem.place, problem.message))
                problems.append(problem)
    # A value of the wrong type breaks its enum or pattern too, and a number far out of range both its bounds and its
    # int32 format: the first says it best, so the consequences are left out.
    wrong_type = {p.place for p in problems if p.message.startswith("verwacht ")}
    problems = [p for p in problems if p.place not in wrong_type or p.message.startswith("verwacht ")]
    bounded = {p.place for p in problems if not p.message.endswith(SIZE_SUFFIXES)}
    return [p for p in problems if not (p.message.endswith(SIZE_SUFFIXES) and p.place in bounded)]


SIZE_SUFFIXES = ("(int32)", "(int64)")
TYPE_NAMES = {
    "object": "een object", "array": "een lijst", "string": "tekst", "integer": "een geheel getal",
    "number": "een getal", "boolean": "true of false", "null": "null",
}
PATTERN_HINTS = {
    "postcode": "verwacht een postcode als 1234AB",
    "bemiddelingspostcode": "verwacht een postcode als 1234AB",
    "telefoonnummer": "verwacht een Nederlands telefoonnummer, bijvoorbeeld 0201234567 of +31612345678",
    "emailadres": "verwacht een e-mailadres",
    "url": "verwacht een webadres, bijvoorbeeld https://www.voorbeeld.nl",
    "codeTaal": "verwacht drie kleine letters (ISO 639-3, bijvoorbeeld nld)",
    "landencodeIso": "verwacht twee hoofdletters (ISO 3166, bijvoorbeeld NL)",
}


def _type_of(value) -> str:
    if isinstance(value, bool):
        return TYPE_NAMES["boolean"]
    if isinstance(value, dict):
        return TYPE_NAMES["object"]
    if isinstance(value, list):
        return TYPE_NAMES["array"]
    if isinstance(value, str):
        return TYPE_NAMES["string"]
    if isinstance(value, int):
        return TYPE_NAMES["integer"]
    if isinstance(value, float):
        return "een kommagetal"
    return TYPE_NAMES["null"]


def show(value) -> str:
    """A value as it appears in the document, shortened so that a message stays readable."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _field_name(path) -> str:
    for part in reversed(list(path)):
        if isinstance(part, str):
            return part
    return ""


def _explain(kind: str, error: ValidationError, prefix: str) -> list[Problem]:
    place = place_of(prefix, error.absolute_path)
    keyword, expected, value = error.validator, error.validator_value, error.instance
    if keyword == "anyOf":
        return _explain_shapes(kind, error, prefix, place)
    if keyword == "type":
        expected_names = " of ".join(TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str)
                                                                    else expected))
        message = f"verwacht {expected_names}, maar kreeg {_type_of(value)}"
    elif keyword == "maximum":
        message = f"{show(value)} is groter dan {expected}"
    elif keyword == "minimum":
        message = f"{show(value)} is kleiner dan {expected}"
    elif keyword == "maxLength":
        message = f"de tekst is {len(value)} tekens lang; hoogstens {expected} tekens toegestaan"
    elif keyword == "minLength":
        message = f"de tekst is korter dan {expected} tekens"
    elif keyword == "pattern":
        hint = PATTERN_HINTS.get(_field_name(error.absolute_path), "heeft niet de vorm die de standaard voorschrijft")
        message = f"{show(value)}: {hint}"
    elif keyword == "enum":
        message = f"{show(value)} is geen toegestane waarde; kies uit {', '.join(show(v) for v in expected)}"
    elif keyword == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        return [Problem(place_of(prefix, [*error.absolute_path, name]), "verplicht veld ontbreekt")
                for name in missing]
    elif keyword == "format":
        if expected == "date":
            message = f"{show(value)} is geen geldige datum (verwacht JJJJ-MM-DD)"
        else:
            message = f"{show(value)} is te groot of te klein voor dit veld ({expected})"
    elif keyword == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {}))) if isinstance(value, dict) else []
        message = f"onbekende velden voor deze vorm: {', '.join(extra)}"
    else:
        message = f"voldoet niet aan de standaard ({keyword})"
    return [Problem(place, message)]


def _explain_shapes(kind: str, error: ValidationError, prefix: str, place: str) -> list[Problem]:
    """A polymorphic value (``Beroepsnaam``, ``Adres`` …) that fits none of its shapes. If its field names pick one
    shape, that shape's own errors are the useful ones; otherwise say which shapes exist."""
    if not isinstance(error.instance, dict):
        return []  # the parent's own "type: object" already reports this
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [errors for errors in branches.values()
               if not any(e.validator == "additionalProperties" and not e.relative_path for e in errors)]
    if len(fitting) == 1:
        return [problem for sub in fitting[0] for problem in _explain(kind, sub, prefix)]
    schemas = component_schemas(kind)
    shapes = []
    for option in error.validator_value:
        name = _ref_name(option.get("$ref", ""))
        fields = ", ".join(schemas.get(name, {}).get("properties", {}))
        shapes.append(f"{name} ({fields})")
    return [Problem(place, f"past bij geen van de vormen: {' of '.join(shapes)}; gebruik de velden van één vorm")]
