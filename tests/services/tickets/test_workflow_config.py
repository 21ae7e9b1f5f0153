"""The ticket workflow as studio configuration: a studio's own workflow read from its override
file (replacing the packaged one whole, with an action of its own), and every kind of mistake
refused when the configuration is loaded, naming the key, so that the app does not start."""

import pytest

from stalker_web import main
from stalker_web.config import CONFIG_ENV_VAR, CONFIG_SETTING, ConfigError, load_studio_config
from stalker_web.services.errors import ValidationError
from stalker_web.services.tickets.actions import allowed_actions, perform_action
from stalker_web.services.tickets.tickets import create_ticket
from stalker_web.services.tickets.workflow import TicketWorkflow

STUDIO_WORKFLOW = """
[status_lists]
Ticket = ["NEW", "ACP", "OH", "CLS"]

[tickets]
label = "Issue"

[tickets.workflow.accept]
NEW = "ACP"

[tickets.workflow.put_on_hold]
ACP = "OH"
NEW = "OH"

[tickets.workflow.resolve]
ACP = "CLS"
OH = "CLS"

[tickets.workflow.reopen]
CLS = "NEW"
"""


@pytest.fixture(autouse=True)
def no_override_from_the_environment(monkeypatch):
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)


def override_file(tmp_path, text: str) -> str:
    path = tmp_path / "studio.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture(name="studio_workflow")
def studio_workflow_fixture(tmp_path, monkeypatch):
    """The workflow of a studio whose override file the environment variable names."""
    monkeypatch.setenv(CONFIG_ENV_VAR, override_file(tmp_path, STUDIO_WORKFLOW))
    return TicketWorkflow.from_config(load_studio_config())


def test_an_override_replaces_the_whole_workflow(studio_workflow):
    assert studio_workflow.label == "Issue"
    assert studio_workflow.actions == ("accept", "put_on_hold", "resolve", "reopen")
    assert studio_workflow.moves["resolve"] == {"ACP": "CLS", "OH": "CLS"}  # NEW not merged in
    assert studio_workflow.initial_code == "NEW"
    assert studio_workflow.closed_codes == {"CLS"}


def test_a_studio_workflow_drives_its_tickets(dbsession, studio_workflow, project, artist, lead):
    ticket = create_ticket(dbsession, studio_workflow, project, artist, summary="Flicker")
    assert (ticket.name, ticket.status.code) == ("Issue #1", "NEW")
    states = {s.action: s for s in allowed_actions(dbsession, studio_workflow, ticket, lead)}
    assert states["resolve"].reason == (
        "Resolve: only an Accepted or On Hold ticket can be resolved; this one is New."
    )
    assert "reassign" not in states

    perform_action(
        dbsession, studio_workflow, ticket, lead, "accept", submitted_version=ticket.version_id
    )
    assert (ticket.status.code, ticket.owner) == ("ACP", lead)


def test_an_action_of_the_studio_only_moves_the_status(
    dbsession, studio_workflow, project, artist, lead
):
    ticket = create_ticket(dbsession, studio_workflow, project, artist, summary="Flicker")
    log = perform_action(
        dbsession, studio_workflow, ticket, lead, "put_on_hold", submitted_version=ticket.version_id
    )
    assert (ticket.status.code, ticket.owner, ticket.resolution) == ("OH", None, "")
    assert (log.action, log.changes) == ("put_on_hold", {})
    message = "Put on hold: only a New or Accepted ticket can take this step; this one is On Hold."
    with pytest.raises(ValidationError, match=message):
        perform_action(
            dbsession,
            studio_workflow,
            ticket,
            lead,
            "put_on_hold",
            submitted_version=ticket.version_id,
        )


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        # A status code that is no status at all, as a target and as a source.
        ('[tickets.workflow.resolve]\nNEW = "DONE"', "tickets.workflow.resolve.NEW: 'DONE' is "
         "not a status; define it under [statuses] first"),
        ('[tickets.workflow.resolve]\nNOPE = "CLS"', "tickets.workflow.resolve.NOPE: 'NOPE' is "
         "not a status"),
        # A status of the studio that is not in the Ticket status list.
        ('[tickets.workflow.resolve]\nNEW = "CMPL"', "tickets.workflow.resolve.NEW: 'CMPL' is "
         "not in status_lists.Ticket (NEW, ACP, ASG, ROP, CLS)"),
        # An empty action table, and no action at all.
        ("[tickets.workflow.resolve]\n", "tickets.workflow.resolve is empty"),
        ("[tickets]\nworkflow = {}", "tickets.workflow must hold at least one action"),
        # Types: an action that is not a table, a code that is not a text.
        ('[tickets.workflow]\nresolve = "CLS"', "tickets.workflow.resolve must be a table"),
        ("[tickets.workflow.resolve]\nNEW = 5", "tickets.workflow.resolve.NEW: 5 must be a "
         "status code in quotes"),
        # Action names: not usable in a URL, or taken by the log.
        ('[tickets.workflow."Close it"]\nNEW = "CLS"', "tickets.workflow.Close it: name an "
         "action with lower-case letters"),
        ('[tickets.workflow.edit]\nNEW = "CLS"', "tickets.workflow.edit: the ticket log already "
         "calls a change 'edit'"),
        # Resolutions: not a list, empty while resolve needs one, repeated, too long.
        ('[tickets]\nresolutions = "fixed"', "tickets.resolutions must be a list"),
        ("[tickets]\nresolutions = []", "tickets.resolutions is empty, but "
         "tickets.workflow.resolve needs one"),
        ('[tickets]\nresolutions = ["fixed", "fixed"]', "tickets.resolutions names fixed more "
         "than once"),
        (f'[tickets]\nresolutions = ["{"x" * 33}"]', "must be a text of 1 to 32 characters"),
        # The label tickets are named with, and the status list a new ticket starts in.
        ('[tickets]\nlabel = " "', "tickets.label must be a word"),
        ("[tickets]\ntypes = [1]", "tickets.types: 1 must be a text"),
        ("[status_lists]\nTicket = []", "status_lists.Ticket must list the ticket statuses"),
    ],
)  # fmt: skip
def test_a_bad_workflow_is_refused_naming_the_key(tmp_path, toml, named):
    path = override_file(tmp_path, toml)
    with pytest.raises(ConfigError) as refusal:
        load_studio_config({CONFIG_SETTING: path})
    assert named in str(refusal.value)


def test_the_app_does_not_start_with_a_bad_workflow(tmp_path, app_settings):
    path = override_file(tmp_path, '[tickets.workflow.reopen]\nCLS = "WIP"')
    with pytest.raises(ConfigError, match="tickets.workflow.reopen.CLS: 'WIP' is not in"):
        main({}, **{**app_settings, CONFIG_SETTING: path})
