"""The production server settings in the repository are ones the servers understand."""

import configparser
import runpy
from pathlib import Path

from gunicorn.config import Config
from waitress.adjustments import Adjustments

REPOSITORY = Path(__file__).resolve().parent.parent


def test_every_name_in_gunicorn_conf_is_a_gunicorn_setting():
    """gunicorn skips names it does not know: a misspelt setting would silently not apply."""
    names = {
        name
        for name in runpy.run_path(str(REPOSITORY / "gunicorn.conf.py"))
        if not name.startswith("__") and name != "os"
    }
    assert names and names <= set(Config().settings), names - set(Config().settings)


def test_gunicorn_never_waits_on_a_small_connection_limit():
    settings = runpy.run_path(str(REPOSITORY / "gunicorn.conf.py"))
    assert settings["worker_class"] == "gthread" and settings["workers"] >= 1
    assert settings["backlog"] >= 1024 and settings["worker_connections"] >= 1000
    assert settings["preload_app"] is False  # no database connection crosses a fork


def test_production_ini_waitress_section_is_valid_and_not_limited_to_100_connections():
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(REPOSITORY / "production.ini")
    server = dict(ini["server:main"])
    assert server.pop("use") == "egg:waitress#main"
    adjustments = Adjustments(**server)  # refuses an unknown or malformed setting
    assert adjustments.connection_limit >= 1000 and adjustments.backlog >= 1024
