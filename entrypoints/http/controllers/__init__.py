"""One Litestar controller per resource."""

from entrypoints.http.controllers.auth import AuthController
from entrypoints.http.controllers.books import BooksController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.controllers.jobs import JobsController

__all__ = ["AuthController", "BooksController", "HealthController", "JobsController"]
