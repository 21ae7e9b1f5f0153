"""Studio-level defaults: the packaged TOML file merged with an optional override file."""

import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ..file_kinds import KNOWN_KINDS
from ..time_zones import UnknownTimeZone, checked_zone_name
from .errors import ConfigError
from .ticket_workflow import replace_workflow, validate_tickets

CONFIG_ENV_VAR = "STALKER_WEB_CONFIG"
CONFIG_SETTING = "stalker_web.studio_config"
TIMING_RESOLUTIONS = (5, 10, 15, 20, 30, 60)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _load_toml(path: str) -> dict[str, Any]:
    try:
        with open(os.path.expanduser(path), "rb") as config_file:
            return tomllib.load(config_file)
    except FileNotFoundError as error:
        raise ConfigError(f"studio config file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"studio config file {path} is not valid TOML: {error}") from error


def validate_working_hours(working_hours: Mapping[str, Any]) -> dict[str, list[list[int]]]:
    """Check a ``{day: [[start_minute, end_minute], ...]}`` mapping and return it complete."""
    unknown = set(working_hours) - set(WEEKDAYS)
    if unknown:
        raise ConfigError(f"unknown weekday(s) in working hours: {', '.join(sorted(unknown))}")
    checked: dict[str, list[list[int]]] = {}
    for day in WEEKDAYS:
        intervals = sorted([list(pair) for pair in working_hours.get(day, [])])
        for pair in intervals:
            if len(pair) != 2 or not all(isinstance(minute, int) for minute in pair):
                raise ConfigError(f"{day}: each interval must be two whole minutes, got {pair}")
            start, end = pair
            if not 0 <= start < end <= 1440:
                raise ConfigError(
                    f"{day}: interval {start}-{end} must satisfy 0 <= start < end <= 1440"
                )
        for previous, following in zip(intervals, intervals[1:], strict=False):
            if following[0] < previous[1]:
                raise ConfigError(f"{day}: intervals {previous} and {following} overlap")
        checked[day] = intervals
    return checked


def _whole_number(config: dict[str, Any], dotted_key: str, minimum: int, maximum: int) -> int:
    """The integer at ``dotted_key`` (e.g. ``calendar.daily_working_hours``), range-checked."""
    section, key = dotted_key.split(".")
    value = config[section][key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{dotted_key} must be a whole number, not {value!r}")
    if not minimum <= value <= maximum:
        raise ConfigError(f"{dotted_key} must be between {minimum} and {maximum}")
    return value


def _validate(config: dict[str, Any]) -> dict[str, Any]:
    for section in ("calendar", "statuses", "status_lists", "tickets", "accounts"):
        if not isinstance(config.get(section), dict):
            raise ConfigError(f"[{section}] must be a table")
    calendar = config["calendar"]
    if not isinstance(calendar["working_hours"], Mapping):
        raise ConfigError("calendar.working_hours must be a table of weekdays")
    try:
        calendar["working_hours"] = validate_working_hours(calendar["working_hours"])
    except ConfigError as error:
        raise ConfigError(f"calendar.working_hours: {error}") from error
    _whole_number(config, "calendar.daily_working_hours", 1, 24)
    resolution = _whole_number(config, "calendar.timing_resolution_minutes", 1, 60)
    if resolution not in TIMING_RESOLUTIONS:
        raise ConfigError(
            "calendar.timing_resolution_minutes must be one of "
            + ", ".join(str(minutes) for minutes in TIMING_RESOLUTIONS)
        )
    try:
        calendar["time_zone"] = checked_zone_name(calendar.get("time_zone"))
    except UnknownTimeZone as error:
        raise ConfigError(f"calendar.time_zone: {error}") from error
    statuses = config["statuses"]
    for target, codes in config["status_lists"].items():
        missing = [code for code in codes if code not in statuses]
        if missing:
            raise ConfigError(
                f"status_lists.{target} names undefined statuses: {', '.join(missing)}"
            )
    _whole_number(config, "accounts.password_min_length", 8, 1024)
    _whole_number(config, "accounts.max_failed_logins", 1, 1000)
    _whole_number(config, "accounts.failed_login_window_minutes", 1, 24 * 60)
    _whole_number(config, "accounts.login_backoff_max_minutes", 1, 7 * 24 * 60)
    _whole_number(config, "accounts.max_failed_logins_all_addresses", 1, 100_000)
    _whole_number(config, "accounts.known_browser_days", 1, 3660)
    _whole_number(config, "accounts.two_factor_step_minutes", 1, 60)
    _whole_number(config, "accounts.session_idle_minutes", 1, 30 * 24 * 60)
    _whole_number(config, "accounts.session_lifetime_hours", 1, 365 * 24)
    _whole_number(config, "api.requests_per_minute", 1, 1_000_000)
    _validate_scheduling(config)
    _validate_uploads(config)
    validate_tickets(config)  # the tickets part: label, types, resolutions, workflow
    return config


def _validate_uploads(config: dict[str, Any]) -> None:
    """The [uploads] section: the size limit, the accepted extensions, the thumbnail size."""
    if not isinstance(config.get("uploads"), dict):
        raise ConfigError("[uploads] must be a table")
    _whole_number(config, "uploads.max_bytes", 1, 1024**4)
    _whole_number(config, "uploads.thumbnail_pixels", 16, 4096)
    extensions = config["uploads"]["extensions"]
    if not isinstance(extensions, list) or not extensions:
        raise ConfigError('uploads.extensions must be a list such as [".png", ".exr"]')
    checked = []
    for extension in extensions:
        text = str(extension).strip().lower()
        text = text if text.startswith(".") else f".{text}"
        if text not in KNOWN_KINDS:
            raise ConfigError(
                f"uploads.extensions: {extension!r} is not a type whose content can be checked; "
                f"known: {', '.join(KNOWN_KINDS)}"
            )
        checked.append(text)
    config["uploads"]["extensions"] = checked


def _validate_scheduling(config: dict[str, Any]) -> None:
    """The [scheduling] section: tj3's command, its limits, the window and the template."""
    scheduling = config.get("scheduling")
    if not isinstance(scheduling, dict):
        raise ConfigError("[scheduling] must be a table")
    command = scheduling["tj3_command"]
    if not isinstance(command, str) or not command.strip():
        raise ConfigError('scheduling.tj3_command must name the tj3 program, e.g. "tj3"')
    _whole_number(config, "scheduling.timeout_seconds", 1, 7 * 24 * 3600)
    heartbeat = _whole_number(config, "scheduling.heartbeat_seconds", 1, 600)
    stale = _whole_number(config, "scheduling.stale_after_seconds", 1, 24 * 3600)
    if stale < 3 * heartbeat:
        raise ConfigError(
            "scheduling.stale_after_seconds must be at least 3 times scheduling.heartbeat_seconds"
        )
    _whole_number(config, "scheduling.horizon_days", 7, 20 * 366)
    _whole_number(config, "scheduling.baselines_kept", 1, 1000)
    template = scheduling["template"]
    if not isinstance(template, str):
        raise ConfigError("scheduling.template must be a file path, or empty for the default")
    if template.strip():
        scheduling["template"] = _checked_template(template.strip())


def _checked_template(path: str) -> str:
    """The absolute path of a readable Jinja2 template that compiles."""
    import jinja2

    full_path = os.path.abspath(os.path.expanduser(path))
    try:
        with open(full_path, encoding="utf-8") as template_file:
            source = template_file.read()
    except OSError as error:
        raise ConfigError(f"scheduling.template: cannot read {path}: {error.strerror}") from error
    try:
        jinja2.Environment(autoescape=False).parse(source)  # noqa: S701 - a .tjp, not HTML
    except jinja2.TemplateSyntaxError as error:
        raise ConfigError(
            f"scheduling.template: {path} line {error.lineno}: {error.message}"
        ) from error
    return full_path


def load_studio_config(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the studio defaults, overridden by the file the env var or the ini setting names."""
    packaged = resources.files(__package__).joinpath("defaults.toml").read_text("utf-8")
    config = tomllib.loads(packaged)
    override_path = os.environ.get(CONFIG_ENV_VAR) or (settings or {}).get(CONFIG_SETTING)
    if override_path:
        override = _load_toml(override_path)
        config = _merge(config, override)
        replace_workflow(config, override)  # the tickets part: a workflow is replaced whole
    return _validate(config)
