"""The studio configuration: packaged defaults, override files merged key by key, refusals."""

import pytest

from stalker_web.config import CONFIG_ENV_VAR, CONFIG_SETTING, ConfigError, load_studio_config


@pytest.fixture(autouse=True)
def no_override_from_the_environment(monkeypatch):
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)


def override_file(tmp_path, text: str, name: str = "studio.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_defaults_load_without_an_override():
    config = load_studio_config()
    assert config["calendar"]["working_hours"]["mon"] == [[540, 1080]]
    assert config["calendar"]["working_hours"]["sun"] == []
    assert config["calendar"]["daily_working_hours"] == 9
    assert config["calendar"]["timing_resolution_minutes"] == 60
    assert config["status_lists"]["Task"][0] == "WFD"
    assert config["accounts"]["admin_group"] == "admins"
    assert config["accounts"]["max_failed_logins"] == 5


def test_an_override_named_by_the_ini_setting_is_merged_key_by_key(tmp_path):
    path = override_file(
        tmp_path,
        """
        [calendar]
        daily_working_hours = 8
        working_hours = { sat = [[600, 840]] }

        [accounts]
        max_failed_logins = 3
        """,
    )
    config = load_studio_config({CONFIG_SETTING: path})
    assert config["calendar"]["daily_working_hours"] == 8
    assert config["calendar"]["timing_resolution_minutes"] == 60  # kept from the defaults
    assert config["calendar"]["working_hours"]["sat"] == [[600, 840]]
    assert config["calendar"]["working_hours"]["mon"] == [[540, 1080]]  # merged, not replaced
    assert config["accounts"]["max_failed_logins"] == 3
    assert config["accounts"]["admin_group"] == "admins"


def test_lists_in_an_override_replace_the_default_list(tmp_path):
    path = override_file(tmp_path, '[status_lists]\nProject = ["WIP", "CMPL"]\n')
    config = load_studio_config({CONFIG_SETTING: path})
    assert config["status_lists"]["Project"] == ["WIP", "CMPL"]
    assert config["status_lists"]["Task"][0] == "WFD"


def test_the_environment_variable_wins_over_the_ini_setting(tmp_path, monkeypatch):
    from_ini = override_file(tmp_path, "[calendar]\ndaily_working_hours = 6\n", "ini.toml")
    from_env = override_file(tmp_path, "[calendar]\ntiming_resolution_minutes = 15\n", "env.toml")
    monkeypatch.setenv(CONFIG_ENV_VAR, from_env)
    config = load_studio_config({CONFIG_SETTING: from_ini})
    assert config["calendar"]["timing_resolution_minutes"] == 15
    assert config["calendar"]["daily_working_hours"] == 9  # the ini's file is not read at all


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ("[calendar]\nworking_hours = { mon = [[600, 540]] }", "calendar.working_hours: mon"),
        ('[calendar]\nworking_hours = "nine to five"', "calendar.working_hours"),
        ('[calendar]\ndaily_working_hours = "nine"', "calendar.daily_working_hours"),
        ("[calendar]\ndaily_working_hours = true", "calendar.daily_working_hours"),
        ('calendar = "every day"', "[calendar]"),
        ("[accounts]\nfailed_login_window_minutes = 0", "accounts.failed_login_window_minutes"),
        ("[calendar]\nworking_hours = { tue = [[540, 780], [720, 1080]] }", "tue"),
        ("[calendar]\nworking_hours = { wed = [[540, 1500]] }", "wed"),
        ("[calendar]\nworking_hours = { thu = [[540]] }", "thu"),
        ("[calendar]\nworking_hours = { someday = [] }", "someday"),
        ("[calendar]\ndaily_working_hours = 25", "calendar.daily_working_hours"),
        ("[calendar]\ntiming_resolution_minutes = 7", "calendar.timing_resolution_minutes"),
        ('[status_lists]\nTask = ["WIP", "NOPE"]', "status_lists.Task"),
        ('[status_lists]\nTicket = ["NEW", "GONE"]', "GONE"),
        ("[accounts]\npassword_min_length = 4", "accounts.password_min_length"),
        ("[accounts]\nmax_failed_logins = 0", "accounts.max_failed_logins"),
    ],
)
def test_invalid_values_are_refused_naming_the_key(tmp_path, toml, named):
    path = override_file(tmp_path, toml)
    with pytest.raises(ConfigError) as refusal:
        load_studio_config({CONFIG_SETTING: path})
    assert named in str(refusal.value)


def test_a_file_that_is_not_toml_is_refused_naming_the_file(tmp_path):
    path = override_file(tmp_path, "calendar:\n  daily_working_hours: 8\n", "studio.yaml")
    with pytest.raises(ConfigError, match="studio.yaml is not valid TOML"):
        load_studio_config({CONFIG_SETTING: path})


def test_a_missing_file_is_refused_naming_the_file(tmp_path, monkeypatch):
    missing = str(tmp_path / "nowhere.toml")
    monkeypatch.setenv(CONFIG_ENV_VAR, missing)
    with pytest.raises(ConfigError, match="not found: .*nowhere.toml"):
        load_studio_config()


def test_the_studio_time_zone_defaults_to_utc_and_takes_an_iana_name(tmp_path):
    assert load_studio_config()["calendar"]["time_zone"] == "UTC"
    path = override_file(tmp_path, '[calendar]\ntime_zone = "America/Montreal"\n')
    assert load_studio_config({CONFIG_SETTING: path})["calendar"]["time_zone"] == (
        "America/Montreal"
    )


def test_an_unknown_studio_time_zone_is_refused_naming_the_key(tmp_path):
    path = override_file(tmp_path, '[calendar]\ntime_zone = "Montreal"\n')
    with pytest.raises(ConfigError, match=r"calendar\.time_zone: 'Montreal' is not a time zone"):
        load_studio_config({CONFIG_SETTING: path})
