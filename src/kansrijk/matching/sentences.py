"""Translations of the matching rules' sentences, kept per language while a ranking runs.

A ranking (a thousand approaches for one client, or tens of thousands of client–vacancy pairs for the weekly list)
asks for the same few dozen sentences over and over; Django's gettext costs microseconds each, a dict lookup
nanoseconds. Inside ``kept_translations()`` every sentence is translated once per language; outside it, ``_`` is
plain gettext.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import get_language, gettext

_TABLES: dict[str, dict[str, str]] = {}
_TABLE: ContextVar[dict[str, str] | None] = ContextVar("matching_translations", default=None)


def _(message: str) -> str:
    table = _TABLE.get()
    if table is None:
        return gettext(message)
    translated = table.get(message)
    if translated is None:
        translated = table[message] = gettext(message)
    return translated


@contextmanager
def kept_translations():
    token = _TABLE.set(_TABLES.setdefault(get_language() or "", {}))
    try:
        yield
    finally:
        _TABLE.reset(token)
