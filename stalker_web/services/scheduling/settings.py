"""The scheduling settings: the studio config's [scheduling] section as one value object."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...config import load_studio_config


@dataclass(frozen=True)
class SchedulingSettings:
    """How runs are made: the tj3 command, its time limit, heartbeats, window and template.

    ``work_directory`` is where each run makes its temporary directory (None: the system's);
    a failed run keeps its .tjp there for inspection and records the path.
    """

    tj3_command: str = "tj3"
    timeout_seconds: float = 3600
    heartbeat_seconds: float = 10
    stale_after_seconds: float = 300
    horizon_days: int = 730
    template: str = ""
    baselines_kept: int = 20
    work_directory: Path | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "SchedulingSettings":
        """The settings of a validated studio config (``load_studio_config``)."""
        section = config["scheduling"]
        return cls(
            tj3_command=section["tj3_command"],
            timeout_seconds=section["timeout_seconds"],
            heartbeat_seconds=section["heartbeat_seconds"],
            stale_after_seconds=section["stale_after_seconds"],
            horizon_days=section["horizon_days"],
            template=section["template"],
            baselines_kept=section["baselines_kept"],
        )

    def with_changes(self, **changes) -> "SchedulingSettings":
        """A copy with some settings changed (e.g. the CLI's ``--timeout``)."""
        return replace(self, **changes)


def scheduling_settings(
    settings: "SchedulingSettings | Mapping[str, Any] | None" = None,
) -> SchedulingSettings:
    """``settings`` as SchedulingSettings: given as such, or read from the studio config that
    the ini ``settings`` name (None: the packaged defaults plus the STALKER_WEB_CONFIG file)."""
    if isinstance(settings, SchedulingSettings):
        return settings
    return SchedulingSettings.from_config(load_studio_config(settings))
