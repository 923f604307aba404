"""Keyed pseudonyms (HMAC-SHA256), shared by every place that shows a person under a code instead of a name: the
anonymous candidate codes of the matching list, the VUM ``idWerkzoekende`` and the analysis exports.

A keyed hash, not a plain one: a plain SHA-256 of an id or client number is reversed by hashing every possible number.
Each use puts its own label in front of the message, so the same person gets unrelated codes in different uses."""

from __future__ import annotations

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# The SECRET_KEY that settings fall back on without one: an installation running on it is a development one.
DEVELOPMENT_SECRET_PREFIX = "django-insecure-"


def keyed_digest(key: bytes, label: str, *parts) -> str:
    """Hex HMAC-SHA256 of ``label:part1:part2…`` under ``key``."""
    message = ":".join([label, *(str(part) for part in parts)]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def analysis_key() -> bytes:
    """The key of the analysis exports: ``settings.PSEUDONYMISATION_KEY``. An installation with a real SECRET_KEY
    must set it (ImproperlyConfigured otherwise); a development installation gets a key derived from its development
    SECRET_KEY, with a warning, so demo and tests work without configuration."""
    key = getattr(settings, "PSEUDONYMISATION_KEY", "")
    if key:
        return key.encode()
    # The SECRET_KEY decides, not DEBUG: a real installation with DEBUG switched on is still a real one.
    if not settings.SECRET_KEY.startswith(DEVELOPMENT_SECRET_PREFIX):
        raise ImproperlyConfigured("PSEUDONYMISATION_KEY is not set; pseudonymised exports are unavailable.")
    logger.warning("PSEUDONYMISATION_KEY is not set: using a development key derived from SECRET_KEY.")
    return keyed_digest(settings.SECRET_KEY.encode(), "pseudonymisation-development-key").encode()


def analysis_pseudonym(client_id: int, key: bytes | None = None) -> str:
    """The client's pseudonym in analysis exports: stable under one key, so an analyst links their own exports over
    time; unrelated to the client number, BSN or name, and not recomputable without the key."""
    return "P-" + keyed_digest(key if key is not None else analysis_key(), "analyse", client_id)[:32]
