"""Test factories: rows built through the same services the application uses, one module per
area (accounts, studio, projects, tasks, versions); ``Factory`` composes their builders."""

from .accounts import AccountsFactory
from .projects import ProjectsFactory
from .studio import StudioFactory
from .tasks import TasksFactory
from .tickets import TicketsFactory  # the tickets part
from .versions import VersionsFactory


class Factory(
    AccountsFactory,
    StudioFactory,
    ProjectsFactory,
    TasksFactory,
    VersionsFactory,
    TicketsFactory,  # the tickets part
):
    """Builds rows of every area in the test's session, with the studio config's rules."""

    def __init__(self, dbsession, studio_config) -> None:
        self.dbsession = dbsession
        self.config = studio_config
