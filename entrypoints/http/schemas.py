"""What every feature's bodies share: the base Struct, OpenAPI examples, the error
envelope, a page of a listing. Each feature's own bodies live in its package
(entrypoints/http/<feature>/schemas.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar
from uuid import UUID

import msgspec

if TYPE_CHECKING:
    from collections.abc import Callable

    from application.shared.ports import Page as ListingPage


def ex(*values: Any) -> msgspec.Meta:
    """Example values for the OpenAPI schema: ``Annotated[str, ex("ada@example.com")]``."""
    return msgspec.Meta(examples=list(values))


BookId = Annotated[UUID, ex("2f22def2-457b-49c1-8263-4267c86fc62f")]
JobId = Annotated[UUID, ex("729dab70-aa4b-43f9-a5ea-06199c36ba32")]
UserId = Annotated[UUID, ex("77620568-7509-418f-9720-2785cd4adfc2")]
Moment = Annotated[datetime, ex("2026-11-23T00:42:48.054049Z")]
Isbn13 = Annotated[str, ex("9780306406157")]
Status = Annotated[str, ex("processing")]


T = TypeVar("T")


class Schema(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of every body: unknown fields are refused."""


# --- errors ---------------------------------------------------------------------------------


class ErrorDetail(Schema):
    """What went wrong."""

    code: str
    message: str
    request_id: str
    details: Any | None = msgspec.field(default=None)


class ErrorResponse(Schema):
    """The one error envelope."""

    success: Annotated[bool, ex(False)]
    error: ErrorDetail


class Page(Schema, Generic[T]):
    """One page of a listing: its items, and the size of the whole."""

    items: list[T]
    total: Annotated[int, ex(1)]
    limit: Annotated[int, ex(20)]
    offset: Annotated[int, ex(0)]

    @classmethod
    def of(cls, page: ListingPage[Any], read: Callable[[Any], T]) -> Page[T]:
        """The body for a page of domain objects, each made into a body by ``read``."""
        return cls(
            items=[read(item) for item in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )


# --- health ---------------------------------------------------------------------------------


class HealthStatus(Schema):
    """Liveness or readiness, with the state of each dependency."""

    status: Annotated[str, ex("ok")]
    checks: Annotated[dict[str, str], ex({"database": "ok", "queue": "ok"})] = msgspec.field(
        default_factory=dict
    )
