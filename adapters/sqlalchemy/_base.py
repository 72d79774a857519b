"""What every repository shares: the session, guarded writes, upserts, error mapping."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from domain.errors import Conflict, DomainError

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import AsyncSession

# (PostgreSQL constraint name, SQLite "table.column, ..." text, error to raise), registered
# by each feature's repository module with ``unique_rule``.
_UNIQUE_RULES: list[tuple[str, str, DomainError]] = []


def unique_rule(constraint: str, sqlite_columns: str, error: DomainError) -> None:
    """Map a unique constraint's violation to ``error`` (a fresh copy is raised each time)."""
    _UNIQUE_RULES.append((constraint, sqlite_columns, error))


def domain_error(error: IntegrityError) -> DomainError | None:
    """The domain error a unique-constraint violation means, or None for other violations."""
    message = str(error.orig)
    lowered = message.lower()
    if "unique" not in lowered and "duplicate key" not in lowered:
        return None  # e.g. a foreign key or NOT NULL violation: a bug, not a conflict
    for constraint, columns, template in _UNIQUE_RULES:
        if f'"{constraint}"' in message or message.endswith(columns):
            return type(template)(template.message)
    return Conflict("a row with the same key already exists")


class SqlRepository:
    """Base of the repositories: runs statements in the unit of work's session."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self._session = session
        self._dialect = dialect

    async def _write(self, statement: sa.Executable) -> None:
        """Execute a write; a unique violation becomes a domain error.

        On PostgreSQL the statement runs in a SAVEPOINT, so a violation does not abort the
        surrounding transaction. SQLite only undoes the failed statement by itself.
        """
        try:
            if self._dialect == "postgresql":
                async with self._session.begin_nested():
                    await self._session.execute(statement)
            else:
                await self._session.execute(statement)
        except IntegrityError as error:
            mapped = domain_error(error)
            if mapped is None:
                raise
            raise mapped from error

    def _upsert(
        self,
        table: sa.Table,
        rows: Sequence[dict[str, Any]],
        key: Sequence[str],
        keep: Collection[str] = (),
        extra: dict[str, Any] | None = None,
    ) -> sa.Executable:
        """INSERT .. ON CONFLICT (key) DO UPDATE every column but ``key`` and ``keep``."""
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(table).values(list(rows))
        changes: dict[str, Any] = {
            name: statement.excluded[name]
            for name in rows[0]
            if name not in key and name not in keep
        }
        changes.update(extra or {})
        return statement.on_conflict_do_update(index_elements=list(key), set_=changes)
