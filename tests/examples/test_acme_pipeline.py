"""The example extension (examples/acme_pipeline) runs as a studio would run it: named in the
ini file, migrated by ``stalker-web <ini> init`` with the app, then its page and its API
resource served by the app, with the app's rights, forms, errors, tokens and OpenAPI document."""

from pathlib import Path

import pytest
import webtest
from pyramid.paster import get_appsettings
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session

from stalker_web import main
from stalker_web.cli import main as cli_main
from stalker_web.models import ProjectUser, Role
from stalker_web.services.accounts.api_tokens import create_token

from ..conftest import login
from ..factories import Factory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
INI = """\
[app:main]
use = egg:stalker_web
sqlalchemy.url = {url}
session.secret = acme-example-secret-0123456789abcdef
session.secure = false
argon2.time_cost = 1
argon2.memory_cost = 1024
argon2.parallelism = 1
stalker_web.extensions = acme_pipeline
"""


@pytest.fixture
def acme(fresh_database_url, tmp_path, monkeypatch, studio_config):
    """The app with the extension, on a database ``init`` made; a shot's task, its lead (who
    edits it) and an artist (who reads it), each with a token."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    monkeypatch.delenv("STALKER_WEB_DATABASE_URL", raising=False)
    ini = tmp_path / "acme.ini"
    ini.write_text(INI.format(url=fresh_database_url), encoding="utf-8")
    assert cli_main([str(ini), "init"]) == 0
    engine = create_engine(fresh_database_url)
    with Session(engine) as dbsession, dbsession.begin():
        factory = Factory(dbsession, studio_config)
        lead, artist = factory.user(), factory.user()
        project = factory.project()
        roles = {role.name: role for role in dbsession.scalars(select(Role))}
        project.members.append(ProjectUser(user=lead, role=roles["Lead"]))
        project.members.append(ProjectUser(user=artist, role=roles["Artist"]))
        task = factory.task(project=project, name="Layout")
        tokens = {
            person.login: create_token(
                dbsession, person, name="acme", scope="write", expires_at=None
            )[1]
            for person in (lead, artist)
        }
        people = {"lead": lead.login, "artist": artist.login, "task": task.id}
    app = main({}, **get_appsettings(str(ini)))
    yield app, engine, people, tokens
    app.registry["dbsession_factory"].kw["bind"].dispose()
    engine.dispose()


def test_init_runs_the_extensions_migration_and_its_table_is_its_model(acme):
    from acme_pipeline.models import Camera

    _app, engine, _people, _tokens = acme
    columns = {column["name"] for column in inspect(engine).get_columns("acme_cameras")}
    assert columns == set(Camera.__table__.columns.keys())


def test_the_lead_adds_a_camera_on_its_page_and_the_artist_reads_it(acme):
    app, _engine, people, _tokens = acme
    url = f"/tasks/{people['task']}/cameras"
    lead = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(lead, people["lead"])
    page = lead.get(url)
    assert "No camera yet" in page.text
    form = page.forms["camera-form"]
    form["name"], form["focal_length"] = "shotCam", "abc"
    refused = form.submit(status=400)
    assert "Focal length: Give a number of mm." in refused.text
    form = refused.forms["camera-form"]
    form["name"], form["focal_length"] = "shotCam", "35"
    form.submit(status=303)
    assert "shotCam" in lead.get(url).text and "35 mm" in lead.get(url).text

    artist = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(artist, people["artist"])
    read = artist.get(url)
    assert "shotCam" in read.text and "Add a camera" not in read.text
    token = read.html.find("input", attrs={"name": "csrf_token"})["value"]  # the layout's
    artist.post(url, {"csrf_token": token, "name": "x", "focal_length": "50"}, status=403)


def test_the_api_resource_is_the_apps_own(acme):
    app, engine, people, tokens = acme
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    url = f"/api/v1/tasks/{people['task']}/cameras"
    lead = {"Authorization": f"Bearer {tokens[people['lead']]}", "Idempotency-Key": "cam-1"}
    made = client.post_json(url, {"name": "shotCam", "focal_length": 35}, headers=lead, status=201)
    again = client.post_json(url, {"name": "shotCam", "focal_length": 35}, headers=lead, status=201)
    assert again.json == made.json and again.headers["Idempotent-Replayed"] == "true"
    refused = client.post_json(url, {"name": "", "focal_length": 35}, headers={
        "Authorization": lead["Authorization"]}, status=422)  # fmt: skip
    assert refused.json["error"]["fields"] == {"name": "Name the camera (e.g. shotCam)."}

    artist = {"Authorization": f"Bearer {tokens[people['artist']]}"}
    listed = client.get(url, headers=artist).json["data"]
    assert [camera["name"] for camera in listed] == ["shotCam"]
    client.post_json(url, {"name": "b", "focal_length": 50}, headers=artist, status=403)
    client.get(url, status=401)

    document = client.get("/api/v1/openapi.json").json
    assert set(document["paths"]["/api/v1/tasks/{task_id}/cameras"]) == {"get", "post"}
    assert "AcmeCamera" in document["components"]["schemas"]
