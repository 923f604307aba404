"""Dutch full-text search over the catalogue, indexed on both engines.

Texts are reduced to accent-free, lower-case Snowball stems (the Dutch stemmer PostgreSQL's own ``dutch``
configuration uses), stored in ``Approach.search_document``. SQLite indexes that column with an FTS5 table kept
in step by triggers; PostgreSQL with a GIN index on its ``simple`` tsvector. Queries are stemmed the same way,
so "werkgevers" finds "werkgever" on both engines and both return the same approaches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import snowballstemmer
from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "catalogue_approach_fts"
PG_INDEX = "catalogue_approach_search_gin"

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
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON catalogue_approach "
                "USING gin (to_tsvector('simple'::regconfig, search_document))"
            )


def _terms(query: str) -> list[str]:
    return list(dict.fromkeys(words(query)))


def filter_search(queryset: QuerySet, query: str) -> QuerySet:
    """Approaches whose texts contain every word of ``query`` (the last one also as a prefix), best first."""
    terms = _terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(terms[:-1] + [f"{terms[-1]}:*"])
        vector = "to_tsvector('simple'::regconfig, catalogue_approach.search_document)"
        return (
            queryset.filter(
                id__in=RawSQL(
                    f"SELECT id FROM catalogue_approach WHERE {vector.replace('catalogue_approach.', '')} "
                    "@@ to_tsquery('simple'::regconfig, %s)",
                    [tsquery],
                )
            )
            .annotate(relevance=RawSQL(f"ts_rank({vector}, to_tsquery('simple'::regconfig, %s))", [tsquery],
                                       output_field=FloatField()))
            .order_by(F("relevance").desc(), "name")
        )
    match = " ".join([f'"{term}"' for term in terms[:-1]] + [f'"{terms[-1]}"*'])
    return (
        queryset.filter(id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))
        .annotate(
            # bm25 is lower for better matches; negate so both engines sort "relevance descending".
            relevance=RawSQL(
                f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                f"AND {FTS_TABLE}.rowid = catalogue_approach.id)",
                [match],
                output_field=FloatField(),
            )
        )
        .order_by(F("relevance").desc(), "name")
    )
