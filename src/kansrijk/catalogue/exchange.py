"""Catalogue exchange files (JSON and XLSX), so municipalities can share approaches and their menukaart.

Both formats carry the same content: the approaches as content entries (``content/README.md``), each with the
exporting municipality's local offer. Importing is atomic: every problem is reported with its place (entry and
field, or sheet, row and column) and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, User

from . import content
from .models import FACET_FIELDS, Approach, LocalOffer, WorkingElement
from .selectors import with_relations
from .services import (
    LOCAL_OFFER_FIELDS,
    SCALAR_FIELDS,
    LoadSummary,
    _require,
    _upsert,
    entry_from_approach,
    refresh_search_documents,
)

FORMAT = "kansrijk-catalogus"
FORMAT_VERSION = 1
LIST_FIELDS = tuple(FACET_FIELDS.values()) + ("working_elements",)
LINE_LIST_FIELDS = ("local_working_elements", "pitfalls")
APPROACH_COLUMNS = ("slug",) + tuple(n for n in SCALAR_FIELDS if n != "sources") + LIST_FIELDS + ("sources",)
OFFER_COLUMNS = tuple(f"lokaal_{name}" for name in LOCAL_OFFER_FIELDS)
RESULT_COLUMNS = ("slug", "description", "value", "unit", "period", "source")


class CatalogueFileError(Exception):
    """The file cannot be read at all (not JSON/XLSX, wrong format marker)."""


@dataclass
class ParsedCatalogue:
    entries: list[dict]
    problems: list[content.ContentProblem]


# --- Export ----------------------------------------------------------------------------------------------------


def export_entries(*, municipality: Municipality | None = None, approaches=None) -> list[dict]:
    municipality_ids = [municipality.pk] if municipality else []
    queryset = approaches if approaches is not None else Approach.objects.all()
    entries = []
    for approach in with_relations(queryset.order_by("slug"), municipality_ids):
        entry = entry_from_approach(approach)
        entry["owner"] = approach.owner.cbs_code if approach.owner else None
        entry["retired"] = approach.retired_at is not None
        offers = approach.offers_here
        entry["local_offer"] = _offer_dict(offers[0]) if offers else None
        entries.append(entry)
    return entries


def _offer_dict(offer: LocalOffer) -> dict:
    values = {}
    for name in LOCAL_OFFER_FIELDS:
        value = getattr(offer, name)
        values[name] = float(value) if name == "cost_per_participant_eur" and value is not None else value
    return values


def export_json(*, municipality: Municipality | None = None, approaches=None) -> str:
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "municipality": {"cbs_code": municipality.cbs_code, "name": municipality.name} if municipality else None,
        "working_elements": list(
            WorkingElement.objects.values("key", "category", "target_group", "label", "description", "need", "source")
        ),
        "approaches": export_entries(municipality=municipality, approaches=approaches),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def export_xlsx(*, municipality: Municipality | None = None, approaches=None) -> bytes:
    entries = export_entries(municipality=municipality, approaches=approaches)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Aanpakken")
    sheet.append(list(APPROACH_COLUMNS + ("owner", "retired") + OFFER_COLUMNS))
    for entry in entries:
        offer = entry["local_offer"] or {}
        sheet.append(
            [_cell(name, entry.get(name)) for name in APPROACH_COLUMNS]
            + [entry["owner"], "ja" if entry["retired"] else "nee"]
            + [offer.get(name) for name in LOCAL_OFFER_FIELDS]
        )
    results = workbook.create_sheet("Resultaten")
    results.append(list(RESULT_COLUMNS))
    for entry in entries:
        for result in entry["results"]:
            results.append([entry["slug"]] + [result.get(name) for name in RESULT_COLUMNS[1:]])
    elements = workbook.create_sheet("Werkzame elementen")
    elements.append(["key", "category", "target_group", "label", "description", "need", "source"])
    for element in WorkingElement.objects.all():
        elements.append([element.key, element.category, element.target_group, element.label, element.description,
                         element.need, element.source])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(name, value):
    if name in LIST_FIELDS:
        return "; ".join(value or [])
    if name in LINE_LIST_FIELDS:
        return "\n".join(value or [])
    if name == "sources":
        return "\n".join(f"{field} = {reference}" for field, reference in (value or {}).items())
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value


# --- Parsing ---------------------------------------------------------------------------------------------------


def parse_catalogue_file(data: bytes, filename: str) -> ParsedCatalogue:
    if filename.lower().endswith(".xlsx"):
        return _parse_xlsx(data)
    if filename.lower().endswith(".json"):
        return _parse_json(data)
    raise CatalogueFileError("Kies een JSON- of XLSX-bestand (.json of .xlsx).")


def _parse_json(data: bytes) -> ParsedCatalogue:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueFileError(f"Het bestand is geen leesbare JSON: {error}") from error
    except RecursionError as error:
        raise CatalogueFileError("Het bestand is geen leesbare JSON: het is te diep genest.") from error
    except ValueError as error:  # Python's limit on the digits of an integer (4,300)
        raise CatalogueFileError("Het bestand is geen leesbare JSON: het bevat een getal dat te groot is.") from error
    if isinstance(document, list):
        approaches = document
    elif isinstance(document, dict) and document.get("format") == FORMAT:
        approaches = document.get("approaches")
    else:
        raise CatalogueFileError(f"Dit is geen catalogusbestand van Kansrijk (verwacht \"format\": \"{FORMAT}\").")
    if not isinstance(approaches, list):
        raise CatalogueFileError("Het bestand bevat geen lijst met aanpakken.")
    entries, problems = [], []
    for number, item in enumerate(approaches, start=1):
        place = f"aanpak {number}" + (f" ({item.get('slug')})" if isinstance(item, dict) and item.get("slug") else "")
        if not isinstance(item, dict):
            problems.append(content.ContentProblem(place, "verwacht een object met velden"))
            continue
        entries.append({**item, "_place": place})
    return ParsedCatalogue(entries, problems)


def _parse_xlsx(data: bytes) -> ParsedCatalogue:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise CatalogueFileError(f"Het bestand is geen leesbaar XLSX-bestand: {error}") from error
    # openpyxl reads a worksheet lazily: a damaged one (broken XML, a number cell holding text) fails only while its
    # rows are read, and that is an unreadable file too.
    try:
        return _read_workbook(workbook)
    except CatalogueFileError:
        raise
    except Exception as error:
        raise CatalogueFileError(f"Het bestand is geen leesbaar XLSX-bestand: {error}") from error
    finally:
        workbook.close()


def _read_workbook(workbook) -> ParsedCatalogue:
    if "Aanpakken" not in workbook.sheetnames:
        raise CatalogueFileError("Het werkblad 'Aanpakken' ontbreekt.")
    rows = workbook["Aanpakken"].iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    missing = [name for name in ("slug", "name", "kind") if name not in header]
    if missing:
        raise CatalogueFileError(f"Kolommen ontbreken op het werkblad 'Aanpakken': {', '.join(missing)}.")
    entries, problems = [], []
    by_slug = {}
    for row_number, row in enumerate(rows, start=2):
        values = dict(zip(header, row, strict=False))
        if all(value in (None, "") for value in values.values()):
            continue
        entry = {"_place": f"werkblad Aanpakken, rij {row_number}", "_columns": {n: get_column_letter(i + 1)
                                                                                  for i, n in enumerate(header)}}
        offer = {}
        for name, value in values.items():
            if name in OFFER_COLUMNS:
                if value not in (None, ""):
                    offer[name.removeprefix("lokaal_")] = _offer_value(name.removeprefix("lokaal_"), value)
            elif name == "owner" or name == "retired" or not name:
                continue
            else:
                entry[name] = _from_cell(name, value)
        entry["local_offer"] = offer or None
        entry.setdefault("results", [])
        entries.append(entry)
        by_slug[entry.get("slug")] = entry
    if "Resultaten" in workbook.sheetnames:
        rows = workbook["Resultaten"].iter_rows(values_only=True)
        header = [str(cell or "").strip() for cell in next(rows, ())]
        for row_number, row in enumerate(rows, start=2):
            values = dict(zip(header, row, strict=False))
            if all(value in (None, "") for value in values.values()):
                continue
            entry = by_slug.get(values.get("slug"))
            if entry is None:
                problems.append(content.ContentProblem(
                    f"werkblad Resultaten, rij {row_number}, kolom A",
                    f"aanpak '{values.get('slug')}' staat niet op het werkblad Aanpakken"))
                continue
            entry["results"].append({name: (values.get(name) if values.get(name) is not None or name == "value"
                                            else "") for name in RESULT_COLUMNS[1:]})
    return ParsedCatalogue(entries, problems)


def _from_cell(name, value):
    if value is None:
        return [] if name in LIST_FIELDS + LINE_LIST_FIELDS else ({} if name == "sources" else None)
    if name in LIST_FIELDS:
        return [part.strip() for part in str(value).split(";") if part.strip()]
    if name in LINE_LIST_FIELDS:
        return [part.strip() for part in str(value).splitlines() if part.strip()]
    if name == "sources":
        pairs = {}
        for line in str(value).splitlines():
            if "=" in line:
                field, reference = line.split("=", 1)
                pairs[field.strip()] = reference.strip()
        return pairs
    if name in content.BOOLEAN_FIELDS:
        return {"ja": True, "nee": False}.get(str(value).strip().lower(), value)
    if name in content.INTEGER_FIELDS + ("effect_level",) and isinstance(value, float) and value.is_integer():
        return int(value)
    if name in content.TEXT_FIELDS + ("goal", "status", "srg_category", "kind", "slug") and not isinstance(value, str):
        return str(value)
    return value


def _offer_value(name, value):
    if name == "active":
        return {"ja": True, "nee": False, "true": True, "false": False}.get(str(value).strip().lower(), value)
    if name == "capacity" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- Import ----------------------------------------------------------------------------------------------------


def validate_parsed(parsed: ParsedCatalogue) -> list[content.ContentProblem]:
    problems = list(parsed.problems)
    element_keys = set(WorkingElement.objects.values_list("key", flat=True))
    seen = set()
    for entry in parsed.entries:
        place = entry["_place"]
        clean = _clean(entry)
        entry_problems = content.validate_approach(clean, place, element_keys=element_keys, require_sources=False)
        columns = entry.get("_columns")
        if columns:  # XLSX: name the column the way a spreadsheet user finds it
            entry_problems = [_with_column(problem, columns) for problem in entry_problems]
        problems += entry_problems
        slug = clean.get("slug")
        if isinstance(slug, str):
            if slug in seen:
                problems.append(content.ContentProblem(place, f"slug '{slug}' komt twee keer voor"))
            seen.add(slug)
        problems += _validate_offer(place, entry.get("local_offer"))
    return problems


def _with_column(problem: content.ContentProblem, columns: dict) -> content.ContentProblem:
    field = problem.place.rsplit("veld ", 1)[-1].split(".")[0].split("[")[0] if "veld " in problem.place else ""
    if field in columns:
        row_place = problem.place.split(", veld ")[0]
        return content.ContentProblem(f"{row_place}, kolom {columns[field]} ({field})", problem.message)
    return problem


OFFER_TEXT_LIMITS = {"contact_person": 200, "contact_phone": 40, "provider": 200, "costs": 300, "intake_moments": 300,
                     "notes": 10_000, "contact_email": 254}


def _validate_offer(place, offer) -> list[content.ContentProblem]:
    if offer in (None, {}):
        return []
    if not isinstance(offer, dict):
        return [content.ContentProblem(f"{place}, local_offer", "verwacht een object")]
    problems = []

    def problem(name, message):
        problems.append(content.ContentProblem(f"{place}, local_offer.{name}", message))

    for name in sorted(set(offer) - set(LOCAL_OFFER_FIELDS)):
        problem(name, "onbekend veld")
    capacity = offer.get("capacity")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)
                                 or not 0 <= capacity <= 10**7):
        problem("capacity", "verwacht een geheel getal ≥ 0")
    cost = offer.get("cost_per_participant_eur")
    if cost is not None and not content.fits(cost, 10, 2):
        problem("cost_per_participant_eur", "verwacht een bedrag ≥ 0")
    if offer.get("active") not in (None, True, False) or isinstance(offer.get("active"), int) and not isinstance(
            offer.get("active"), bool):
        problem("active", "verwacht ja of nee")
    for name, limit in OFFER_TEXT_LIMITS.items():
        text = offer.get(name)
        if text is not None and (not isinstance(text, str) or len(text) > limit or content.CONTROL_RE.search(text)):
            problem(name, f"verwacht tekst van hoogstens {limit} tekens, zonder stuurtekens")
    email = offer.get("contact_email")
    if isinstance(email, str) and email:
        try:
            validate_email(email)
        except ValidationError:
            problem("contact_email", "geen geldig e-mailadres")
    return problems


def _clean(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if not k.startswith("_") and k not in ("owner", "retired", "local_offer")}


def import_catalogue(
    parsed: ParsedCatalogue, *, municipality: Municipality, by: User | None, dry_run: bool = False
) -> LoadSummary:
    """Import approaches and local offer into ``municipality``. New approaches become the municipality's own; an
    approach that already exists here and belongs to someone else (the national catalogue, another municipality) is
    not overwritten — only the local offer is taken over for it."""
    _require(by, roles.MANAGES_CATALOGUE)
    problems = validate_parsed(parsed)
    # Malformed entries (a local offer that is not a mapping, a slug that is not text) are reported by
    # validate_parsed; they are skipped here so that check cannot crash on them.
    offered = {entry["slug"]: entry["_place"] for entry in parsed.entries
               if isinstance(entry.get("local_offer"), dict) and entry["local_offer"].get("active", True)
               and isinstance(entry.get("slug"), str)}
    retired = Approach.objects.filter(slug__in=offered, retired_at__isnull=False).exclude(owner=municipality)
    for slug in retired.values_list("slug", flat=True):
        problems.append(content.ContentProblem(f"{offered[slug]}, local_offer",
                                               "deze aanpak is hier uit de catalogus gehaald en kan niet worden aangeboden"))
    if problems:
        return LoadSummary(problems=problems)
    entries = [_clean(entry) for entry in parsed.entries]
    with transaction.atomic():
        elements = {element.key: element for element in WorkingElement.objects.all()}
        summary = _upsert(entries, owner=municipality, elements=elements,
                          editable=lambda approach: approach.owner_id == municipality.pk)
        approaches = {a.slug: a for a in Approach.objects.filter(slug__in=[e["slug"] for e in entries])}
        for entry in parsed.entries:
            offer = entry.get("local_offer")
            if offer:
                values = {name: offer.get(name) for name in LOCAL_OFFER_FIELDS if name in offer}
                values = {k: ("" if v is None and k not in ("capacity", "cost_per_participant_eur", "active") else v)
                          for k, v in values.items()}
                values.setdefault("active", True)
                values["updated_by"] = by
                if values.get("cost_per_participant_eur") is not None:
                    values["cost_per_participant_eur"] = content.parse_number(values["cost_per_participant_eur"])
                LocalOffer.objects.update_or_create(
                    municipality=municipality, approach=approaches[entry["slug"]], defaults=values
                )
                summary.local_offers += 1
        refresh_search_documents([a.pk for a in approaches.values()])
        if dry_run:
            transaction.set_rollback(True)
    return summary
