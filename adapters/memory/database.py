"""The in-memory database behind every memory repository, and its unit of work.

Writes are staged in the unit of work and applied to the shared ``MemoryDatabase`` only on
commit, so a rolled-back transaction leaves no trace — like the real thing. Each feature's
repositories keep their rows in named tables and may register checks that run at commit
against the committed state (uniqueness, compare-and-set), raising to refuse the commit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

Table = dict[Any, Any]


class MemoryDatabase:
    """The committed state shared by every unit of work: one dict per table."""

    def __init__(self) -> None:
        self.tables: defaultdict[str, Table] = defaultdict(dict)
        self.commits = 0

    def table(self, name: str) -> Table:
        """The committed rows of table ``name``."""
        return self.tables[name]


class Staged:
    """A transaction's writes per table, and the checks to run when it commits."""

    def __init__(self) -> None:
        self.tables: defaultdict[str, Table] = defaultdict(dict)
        self.checks: list[Callable[[MemoryDatabase], None]] = []

    def clear(self) -> None:
        self.tables.clear()
        self.checks.clear()


class MemoryRepository:
    """Base of memory repositories: reads see committed rows overlaid by staged ones."""

    def __init__(self, db: MemoryDatabase, staged: Staged) -> None:
        self._db = db
        self._staged = staged

    def _rows(self, table: str) -> Table:
        return {**self._db.table(table), **self._staged.tables[table]}

    def _stage(self, table: str, key: Any, row: Any) -> None:
        self._staged.tables[table][key] = row

    def _check_at_commit(self, check: Callable[[MemoryDatabase], None]) -> None:
        self._staged.checks.append(check)


class MemorySession:
    """The transaction part of every memory unit of work (features add repositories)."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._staged = Staged()
        self.committed = False

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def commit(self) -> None:
        """Run the staged checks against committed state, then apply the staged writes."""
        for check in self._staged.checks:
            check(self._db)
        for name, rows in self._staged.tables.items():
            self._db.table(name).update(rows)
        self._db.commits += 1
        self.committed = True
        self._staged.clear()

    async def rollback(self) -> None:
        """Drop staged writes."""
        self._staged.clear()


__all__ = ["MemoryDatabase", "MemoryRepository", "MemorySession", "Staged"]
