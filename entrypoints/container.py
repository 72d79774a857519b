"""The composition root: one dependency-injector container for the API, the worker and
the command line, made of one container per feature (entrypoints/wiring/).

``build_container(settings)`` is the only way in. Use cases are ``Factory``s taking ports
as keyword arguments; adapters are picked from the settings by name. Tests swap an
adapter with ``container.<feature>.<provider>.override(...)`` and everything downstream
follows. Everything that holds a connection registers itself with ``core.closer``;
``await container.core.closer().aclose()`` releases it all.

Adding a feature: write its container in entrypoints/wiring/, add it below, and map its
job kinds (if it has any) in ``handlers``.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from application.community.genres import TagBookGenres
from domain.job import JobKind
from entrypoints.settings import Settings
from entrypoints.wiring.accounts import AccountsContainer
from entrypoints.wiring.books import BookMakingContainer, BooksContainer
from entrypoints.wiring.community import CommunityContainer
from entrypoints.wiring.core import CoreContainer
from entrypoints.wiring.jobs import JobsContainer
from entrypoints.wiring.upload_making import UploadMakingContainer
from entrypoints.wiring.uploads import UploadsContainer, make_upload_store
from entrypoints.wiring.voices import VoicesContainer


class Container(containers.DeclarativeContainer):
    """Every adapter and use case of BookBytes, built from one Settings object."""

    settings = providers.Dependency(instance_of=Settings)
    core = providers.Container(CoreContainer, settings=settings)
    tag_genres = providers.Factory(TagBookGenres, uow_factory=core.uow_factory)
    making = providers.Container(BookMakingContainer, core=core, tag_genres=tag_genres)
    upload_files = providers.Singleton(make_upload_store, settings, core.closer, core.policy)
    upload_making = providers.Container(
        UploadMakingContainer, core=core, making=making, files=upload_files
    )
    jobs = providers.Container(
        JobsContainer,
        core=core,
        handlers=providers.Dict(
            {
                JobKind.PROCESS_BOOK.value: making.produce_book,
                JobKind.PROCESS_UPLOAD.value: upload_making.produce_upload,
            }
        ),
    )
    books = providers.Container(BooksContainer, core=core, making=making, jobs=jobs)
    accounts = providers.Container(AccountsContainer, core=core)
    voices = providers.Container(VoicesContainer, making=making)
    community = providers.Container(
        CommunityContainer, core=core, rate_limiter=accounts.rate_limiter
    )
    uploads = providers.Container(
        UploadsContainer, core=core, making=making, jobs=jobs, store=upload_files
    )


def build_container(settings: Settings) -> Container:
    """A container for ``settings``."""
    return Container(settings=settings)


__all__ = ["Container", "build_container"]
