"""/health: liveness and readiness (no authentication, cheap)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get

from entrypoints.http.deps import container_of
from entrypoints.http.errors import error_response
from entrypoints.http.openapi import errors
from entrypoints.http.schemas import HealthStatus

CHECK_TIMEOUT_S = 3.0


class HealthController(Controller):
    """Is the process alive; can it serve (database and queue reachable)."""

    path = "/health"
    tags = ["health"]

    @get("/live", operation_id="live")
    async def live(self) -> HealthStatus:
        """200 while the process runs."""
        return HealthStatus(status="ok")

    @get(
        "/ready",
        operation_id="ready",
        responses=errors(503, codes={503: ("not_ready",)}),
    )
    async def ready(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """200 when the database and the job queue answer; 503 naming what is down."""
        container = container_of(request)

        async def database() -> None:
            async with container.core.uow_factory()() as uow:
                await uow.users.get(UUID(int=0))

        async def queue() -> None:
            await container.jobs.queue().ping()

        checks: dict[str, str] = {}
        for name, probe in (("database", database), ("queue", queue)):
            try:
                async with asyncio.timeout(CHECK_TIMEOUT_S):
                    await probe()
                checks[name] = "ok"
            except Exception as exc:  # any failure means not ready
                checks[name] = f"down: {type(exc).__name__}"
        down = [name for name, state in checks.items() if state != "ok"]
        if down:
            return error_response(
                request,
                503,
                "not_ready",
                f"not ready: {', '.join(down)} unavailable",
                details=checks,
            )
        return Response(HealthStatus(status="ok", checks=checks))
