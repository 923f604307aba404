"""VUM exchange files: reading bytes into items of one kind, and the envelope Kansrijk writes.

A file holds one ``Werkzoekende``/``Vacature`` object, a list of them, or an envelope object with the list under
``werkzoekenden`` or ``vacatures``. Kansrijk writes the envelope (``envelope``)::

    {"standaard": "VUM", "soort": "vacatures", "versie": "0.8.2", "gemeente": {"cbsCode": "0363", "naam": "…"},
     "aangemaaktOp": "2026-11-23T10:00:00+01:00", "vacatures": [ … ]}

Anything that makes a file unreadable as a whole (not UTF-8, not JSON, empty, absurd numbers, both kinds at once) is
a ``VumDocumentError`` with a Dutch message; nothing else ever leaves ``read_document``. Errors within items are the
schema's, reported per place by ``services``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.utils import timezone

from .schemas import CONTRACTS, KINDS, VACATURES, WERKZOEKENDEN, item_properties

MAX_BYTES = 20 * 1024 * 1024
MAX_DIGITS = 30  # no VUM number comes near this; Python would take seconds on a number with millions of digits
MAX_DEPTH = 64  # the deepest VUM document (vacature → werkgever → adresHouding → adres …) has about 8 levels

KIND_LABELS = {WERKZOEKENDEN: "werkzoekenden", VACATURES: "vacatures"}


class VumDocumentError(Exception):
    """The document cannot be read as a whole; the message says why, in Dutch."""


@dataclass
class Document:
    kind: str
    items: list
    prefix: str  # the JSON path of the list, for the places of errors: "vacatures", "" (a bare list) or None

    def place(self, index: int) -> str:
        if self.prefix is None:
            return ""
        return f"{self.prefix}[{index}]"


# Python's json module's messages (their exact English text, escapes included) in Dutch.
JSON_MESSAGES = {
    "Expecting value": "hier werd een waarde verwacht",
    "Extra data": "na het einde van de JSON staat nog tekst",
    "Unterminated string starting at": "een tekst zonder afsluitend aanhalingsteken",
    "Expecting property name enclosed in double quotes": "verwacht een veldnaam tussen dubbele aanhalingstekens",
    "Expecting ',' delimiter": "verwacht een komma",
    "Expecting ':' delimiter": "verwacht een dubbele punt",
    "Invalid control character at": "een ongeldig stuurteken in een tekst",
    "Invalid \\escape": "een ongeldige escape (\\) in een tekst",
    "Invalid \\uXXXX escape": "een ongeldige \\u-escape in een tekst",
}


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise VumDocumentError(f"Het bestand bevat een getal van meer dan {MAX_DIGITS} cijfers.")
    return int(digits)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise VumDocumentError(f"Het getal {text[:30]} is te groot.")
    return value


def _parse_constant(name: str):
    raise VumDocumentError(f"{name} is geen getal dat JSON toestaat.")


def loads(data: bytes):
    """The JSON value in ``data``, or a VumDocumentError."""
    if len(data) > MAX_BYTES:
        raise VumDocumentError(f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise VumDocumentError("Het bestand is in UTF-16 opgeslagen; sla het op als UTF-8.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise VumDocumentError(f"Het bestand is geen UTF-8-tekst (onleesbaar teken op positie {error.start}).") \
            from error
    if not text.strip():
        raise VumDocumentError("Het bestand is leeg.")
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except json.JSONDecodeError as error:
        reason = next((dutch for english, dutch in JSON_MESSAGES.items() if error.msg.startswith(english)),
                      "ongeldige JSON")
        raise VumDocumentError(
            f"Het bestand is geen geldige JSON: {reason} (regel {error.lineno}, kolom {error.colno}).") from error
    except RecursionError as error:
        raise VumDocumentError("Het bestand is te diep genest.") from error
    except ValueError as error:  # e.g. Python's limit on digits in an integer, before _parse_int sees it
        raise VumDocumentError("Het bestand bevat een getal dat te groot is.") from error
    _check_text_and_depth(value)
    return value


def _check_text_and_depth(value) -> None:
    """Reject what no database column can store (NUL, lone surrogates) and absurd nesting, with the place."""
    stack = [(value, "", 0)]
    while stack:
        current, place, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise VumDocumentError("Het bestand is te diep genest.")
        if isinstance(current, dict):
            for key, item in current.items():
                _check_text(key, place or "document")
                stack.append((item, f"{place}.{key}" if place else key, depth + 1))
        elif isinstance(current, list):
            stack.extend((item, f"{place}[{index}]", depth + 1) for index, item in enumerate(current))
        elif isinstance(current, str):
            _check_text(current, place or "document")


def _check_text(text: str, place: str) -> None:
    if "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise VumDocumentError(f"{place}: de tekst bevat een ongeldig teken (NUL of een losse surrogaat).")


def read_document(data: bytes, *, kind: str | None = None) -> Document:
    """The items of a VUM file and their kind (``kind`` if given, else detected)."""
    if kind is not None and kind not in KINDS:
        raise VumDocumentError(f"Onbekende soort {kind!r}; kies werkzoekenden of vacatures.")
    value = loads(data)
    if isinstance(value, dict) and (WERKZOEKENDEN in value or VACATURES in value):
        if WERKZOEKENDEN in value and VACATURES in value:
            raise VumDocumentError("Het bestand bevat zowel werkzoekenden als vacatures; lever ze apart aan.")
        found = WERKZOEKENDEN if WERKZOEKENDEN in value else VACATURES
        if kind is not None and kind != found:
            raise VumDocumentError(f"Het bestand bevat {KIND_LABELS[found]}, maar gekozen is {KIND_LABELS[kind]}.")
        items = value[found]
        if not isinstance(items, list):
            raise VumDocumentError(f"Onder '{found}' staat geen lijst.")
        return Document(found, items, found)
    if isinstance(value, list):
        return Document(kind or _detect(value), value, "")
    if isinstance(value, dict):
        return Document(kind or _detect([value]), [value], None)
    raise VumDocumentError("Het bestand bevat geen object of lijst, maar één losse waarde.")


def _detect(items: list) -> str:
    profile_only = item_properties(WERKZOEKENDEN) - item_properties(VACATURES)
    vacancy_only = item_properties(VACATURES) - item_properties(WERKZOEKENDEN)
    seen = set()
    for item in items:
        if isinstance(item, dict):
            keys = set(item)
            if keys & profile_only:
                seen.add(WERKZOEKENDEN)
            if keys & vacancy_only:
                seen.add(VACATURES)
    if len(seen) == 1:
        return seen.pop()
    if seen:
        raise VumDocumentError("Het bestand lijkt zowel werkzoekenden als vacatures te bevatten; lever ze apart aan "
                               "of kies de soort.")
    raise VumDocumentError("Uit het bestand valt niet op te maken of het werkzoekenden (idWerkzoekende) of vacatures "
                           "(idVacature, naamVacature …) bevat; kies de soort.")


def envelope(kind: str, items: list, municipality) -> dict:
    return {
        "standaard": "VUM",
        "soort": kind,
        "versie": CONTRACTS[kind].version,
        "gemeente": {"cbsCode": municipality.cbs_code, "naam": municipality.name},
        "aangemaaktOp": timezone.now().isoformat(timespec="seconds"),
        kind: items,
    }


def dumps(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
