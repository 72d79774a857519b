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
from adapters.sqlalchemy.tables.community import search_words
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


# pg_trgm similarity of the word list's candidates for a typo (then cut to one edit).
TYPO_SIMILARITY = 0.2
_SIMPLE: Any = sa.literal_column("'simple'::regconfig")
# The stored generated column of books on PostgreSQL (adapters.sqlalchemy.tables.community).
_DOCUMENT: Any = sa.literal_column("books.search_document")
_HIGHEST = "\U0010ffff"


class PostgresBookSearch:
    """websearch_to_tsquery (quotes, OR, -) or'ed with a prefix query over the stored
    weighted tsvector (GIN), whole-word matches ranked above prefix ones. When that finds
    fewer than ``limit`` books, a word that begins no indexed word is replaced by the
    indexed words one edit away (from ``search_words``, by pg_trgm similarity, GIN), and
    the search runs again: that is where typos are forgiven, as on SQLite."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        words = _words(text)
        if not words:
            return []
        web = sa.func.websearch_to_tsquery(_SIMPLE, sa.func.bookbytes_fold(sa.literal(text[:200])))
        prefix = sa.func.to_tsquery(
            _SIMPLE, sa.literal(" & ".join(_lexeme(w, prefix=True) for w in words))
        )
        async with self._engine.connect() as connection:
            hits = await self._full_text(connection, web.op("||")(prefix), web, limit)
            if len(hits) >= limit:
                return hits
            groups = [await self._alternatives(connection, w) for w in words]
            if groups == [[_lexeme(w, prefix=True)] for w in words]:
                return hits  # no word was a typo: nothing more to find
            corrected = " & ".join("(" + " | ".join(g) + ")" for g in groups)
            query = sa.func.to_tsquery(_SIMPLE, sa.literal(corrected))
            found = {hit.book_id for hit in hits}
            for hit in await self._full_text(connection, query, web, limit):
                if hit.book_id not in found and len(hits) < limit:
                    hits.append(SearchHit(hit.book_id, hit.score - 2))
        return hits

    async def _full_text(
        self, connection: Any, query: Any, web: Any, limit: int
    ) -> list[SearchHit]:
        whole = sa.case((_DOCUMENT.op("@@")(web), 1.0), else_=0.0)
        ranked = (sa.func.ts_rank(_DOCUMENT, query) * 4 + whole).label("score")
        statement = (
            sa.select(books.c.id, ranked)
            .where(_DOCUMENT.op("@@")(query))
            .order_by(sa.desc("score"), books.c.id)
            .limit(limit)
        )
        return [SearchHit(i, float(s) + 2) for i, s in await connection.execute(statement)]

    async def _alternatives(self, connection: Any, word: str) -> list[str]:
        """``word:*``, or the indexed words one edit away when no indexed word starts so."""
        column = search_words.c.word
        starts = sa.select(column).where(column >= word, column < word + _HIGHEST).limit(1)
        if len(word) < 4 or (await connection.execute(starts)).first() is not None:
            return [_lexeme(word, prefix=True)]
        await connection.execute(
            sa.select(
                sa.func.set_config("pg_trgm.similarity_threshold", str(TYPO_SIMILARITY), True)
            )
        )
        nearby = sa.select(column).where(
            column.op("%")(word),
            sa.func.length(column).between(len(word) - 1, len(word) + 1),
        )
        vocabulary = [w for (w,) in await connection.execute(nearby) if w.isalnum()]
        close = close_words(word, vocabulary)
        return [_lexeme(w) for w in close[:20]] or [_lexeme(word, prefix=True)]


def _lexeme(word: str, *, prefix: bool = False) -> str:
    """``word`` quoted for to_tsquery (so no character of it is read as an operator)."""
    quoted = "'" + word.replace("\\", "").replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


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
