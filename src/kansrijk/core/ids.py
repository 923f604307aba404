"""Reading ids and counts from query strings and forms."""

import re

# ASCII digits only (str.isdigit also admits superscripts and other scripts' digits, which int() refuses), and at
# most 18 of them, so the value fits the database's 64-bit integers on SQLite and PostgreSQL alike.
_ID = re.compile(r"[0-9]{1,18}")
MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """The integer in ``raw`` (a string from a URL or form), or None if it is not a plain number that fits."""
    if not isinstance(raw, str) or not _ID.fullmatch(raw):
        return None
    return int(raw)
