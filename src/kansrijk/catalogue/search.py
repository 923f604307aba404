"""Dutch full-text search over the catalogue, indexed on both engines.

Texts are reduced to accent-free, lower-case Snowball stems (the Dutch stemmer PostgreSQL's own ``dutch``
configuration uses), stored in ``Approach.search_document``. SQLite indexes that column with an FTS5 table kept
in step by triggers; PostgreSQL with a GIN index on a stored generated ``simple`` tsvector of it. Queries are stemmed the same way,
so "werkgevers" finds "werkgever" on both engines and both return the same approaches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import snowballstemmer
from django.db import connection
from django.db.models import QuerySet

FTS_TABLE = "catalogue_approach_fts"
PG_INDEX = "catalogue_approach_search_vector_gin"

# Function words that carry no meaning in a search; the stemmer leaves them as they are.
STOPWORDS = frozenset(
    "de het een en of in op te van voor met aan bij door als om tot uit naar is zijn wordt worden er die dat "
    "deze dit wat wie hun hij zij ze je we ook nog niet geen maar dan al meer zo".split()
)
WORD_RE = re.compile(r"[a-z0-9]+")


@cache
def _stemmer():
    return snowballstemmer.stemmer("dutch")


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    tokens = [token for token in WORD_RE.findall(folded) if token not in STOPWORDS]
    return _stemmer().stemWords(tokens)


def document_for(*texts: str) -> str:
    return " ".join(word for text in texts if text for word in words(text))


def ensure_index(using_connection=None) -> None:
    """Create the full-text index when missing (idempotent; run after every migrate)."""
    conn = using_connection or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(f"SELECT 1 FROM sqlite_master WHERE name = '{FTS_TABLE}'")
            fresh = cursor.fetchone() is None
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_document, "
                "content='catalogue_approach', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
            )
            # Triggers belong to the table: a later migration that rebuilds catalogue_approach drops them, so
            # they are (re)created here rather than once in a migration.
            cursor.execute(
                "CREATE TRIGGER IF NOT EXISTS catalogue_approach_fts_insert AFTER INSERT ON catalogue_approach BEGIN "
                f"INSERT INTO {FTS_TABLE}(rowid, search_document) VALUES (new.id, new.search_document); END"
            )
            cursor.execute(
                "CREATE TRIGGER IF NOT EXISTS catalogue_approach_fts_delete AFTER DELETE ON catalogue_approach BEGIN "
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_document) "
                "VALUES ('delete', old.id, old.search_document); END"
            )
            cursor.execute(
                "CREATE TRIGGER IF NOT EXISTS catalogue_approach_fts_update AFTER UPDATE OF search_document "
                "ON catalogue_approach BEGIN "
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_document) "
                "VALUES ('delete', old.id, old.search_document); "
                f"INSERT INTO {FTS_TABLE}(rowid, search_document) VALUES (new.id, new.search_document); END"
            )
            if fresh:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        elif conn.vendor == "postgresql":
            # A stored generated tsvector: ranking reads it instead of re-parsing every matching document.
            cursor.execute(
                "ALTER TABLE catalogue_approach ADD COLUMN IF NOT EXISTS search_vector tsvector "
                "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED"
            )
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON catalogue_approach USING gin (search_vector)")


def _terms(query: str) -> list[str]:
    return list(dict.fromkeys(words(query)))


def filter_search(queryset: QuerySet, query: str) -> QuerySet:
    """Approaches whose texts contain every word of ``query`` (the last one also as a prefix), best first."""
    terms = _terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(terms[:-1] + [f"{terms[-1]}:*"])
        return queryset.extra(
            where=["catalogue_approach.search_vector @@ to_tsquery('simple'::regconfig, %s)"],
            params=[tsquery],
            select={"relevance": "ts_rank(catalogue_approach.search_vector, to_tsquery('simple'::regconfig, %s))"},
            select_params=[tsquery],
        ).order_by("-relevance", "name")
    match = " ".join([f'"{term}"' for term in terms[:-1]] + [f'"{terms[-1]}"*'])
    # The FTS table drives the query (its MATCH is the outer loop) and joins the approach by primary key. A
    # correlated ranking subquery would rerun the MATCH once per row — quadratic on common words.
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = catalogue_approach.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        # bm25 is lower for better matches; negated so both engines sort "relevance descending".
        select={"relevance": f"-bm25({FTS_TABLE})"},
    ).order_by("-relevance", "name")
