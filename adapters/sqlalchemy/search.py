"""BookSearch on the database: PostgreSQL full text + trigrams, SQLite FTS5 + edit distance.

Both search titles (weighted most) and authors, ignore case and accents, match unfinished
words as prefixes and forgive one typo, and never pass user text to a query parser that
can fail: words are extracted first (adapters.search_text.terms).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.search_text import OPERATORS, close_words, terms
from adapters.sqlalchemy.tables.books import books
from application.community.ports import SearchHit
from domain.community import fold

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine


def _words(text: str) -> list[str]:
    found = terms(text)
    return [t for t in found if t not in OPERATORS] or found


def make_book_search(engine: AsyncEngine) -> PostgresBookSearch | SqliteBookSearch:
    """The search adapter for the engine's database."""
    if engine.dialect.name == "postgresql":
        return PostgresBookSearch(engine)
    return SqliteBookSearch(engine)


# pg_trgm word similarity that counts as "one typo away" (the default 0.6 misses
# "misreables" for "miserables", 0.47).
TYPO_SIMILARITY = 0.4
_SIMPLE: Any = sa.literal_column("'simple'::regconfig")
# Stored generated columns of books on PostgreSQL (adapters.sqlalchemy.tables.community).
_DOCUMENT: Any = sa.literal_column("books.search_document")
_TITLE: Any = sa.literal_column("books.search_title")
_AUTHOR: Any = sa.literal_column("books.search_author")


class PostgresBookSearch:
    """Full text first: websearch_to_tsquery (quotes, OR, -) or'ed with a prefix query over
    the stored weighted tsvector (GIN), whole-word matches ranked above prefix ones. When
    that finds fewer than ``limit`` books, pg_trgm word similarity (``<%``, GIN) over the
    folded title and author fills up the rest: that is where typos are forgiven."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        words = _words(text)
        if not words:
            return []
        folded = sa.literal(" ".join(words))
        web = sa.func.websearch_to_tsquery(_SIMPLE, sa.func.bookbytes_fold(sa.literal(text[:200])))
        prefix = sa.func.to_tsquery(_SIMPLE, sa.literal(" & ".join(f"{w}:*" for w in words)))
        query = web.op("||")(prefix)
        whole = sa.case((_DOCUMENT.op("@@")(web), 1.0), else_=0.0)
        ranked = (sa.func.ts_rank(_DOCUMENT, query) * 4 + whole).label("score")
        full_text = (
            sa.select(books.c.id, ranked)
            .where(_DOCUMENT.op("@@")(query))
            .order_by(sa.desc("score"), books.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            hits = [SearchHit(i, float(s) + 2) for i, s in await connection.execute(full_text)]
            if len(hits) >= limit:
                return hits
            threshold = sa.func.set_config(
                "pg_trgm.word_similarity_threshold", str(TYPO_SIMILARITY), True
            )
            await connection.execute(sa.select(threshold))
            similar = (
                sa.func.word_similarity(folded, _TITLE)
                + sa.func.word_similarity(folded, _AUTHOR) * 0.4
            ).label("score")
            found = {hit.book_id for hit in hits}
            typos = (
                sa.select(books.c.id, similar)
                .where(sa.or_(folded.op("<%")(_TITLE), folded.op("<%")(_AUTHOR)))
                .order_by(sa.desc("score"), books.c.id)
                .limit(limit)
            )
            for book_id, score in await connection.execute(typos):
                if book_id not in found and len(hits) < limit:
                    hits.append(SearchHit(book_id, float(score)))
        return hits


class SqliteBookSearch:
    """FTS5 (unicode61, diacritics removed, prefix indexes) ranked by bm25 with the title
    weighing 10 and the author 4; a word that matches nothing, not even as a prefix, is
    replaced by the indexed words one edit away (from the fts5vocab table)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        words = _words(text)
        if not words:
            return []
        async with self._engine.connect() as connection:
            groups = [await self._alternatives(connection, w) for w in words]
            match = " AND ".join("(" + " OR ".join(g) + ")" for g in groups)
            rows = await connection.exec_driver_sql(
                "SELECT books.id, bm25(books_fts, 10.0, 4.0) AS rank FROM books_fts "
                "JOIN books ON books.rowid = books_fts.rowid WHERE books_fts MATCH ? "
                "ORDER BY rank, books.id LIMIT ?",
                (match, limit),
            )
            found: list[Any] = list(rows.all())
        return [SearchHit(_uuid(row[0]), -float(row[1])) for row in found]

    async def _alternatives(self, connection: Any, word: str) -> list[str]:
        """``"word"*``, or the words one edit away when nothing starts with ``word``."""
        prefixed = await connection.exec_driver_sql(
            "SELECT 1 FROM books_fts_vocab WHERE term >= ? AND term < ? LIMIT 1",
            (word, word + "\U0010ffff"),
        )
        if prefixed.first() is not None:
            return [f'"{word}"*']
        nearby = await connection.exec_driver_sql(
            "SELECT term FROM books_fts_vocab WHERE length(term) BETWEEN ? AND ?",
            (len(word) - 1, len(word) + 1),
        )
        close = close_words(word, [fold(t) for (t,) in nearby.all()])
        return [f'"{w}"' for w in close[:20]] or [f'"{word}"*']


def _uuid(value: Any) -> Any:
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
