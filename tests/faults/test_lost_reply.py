"""A reply lost after the commit: the person sends the same form again. A version form sent
twice makes one version, and the second send lands on it."""

from sqlalchemy import func, select

from stalker_web.db import get_session_factory
from stalker_web.models import Version

from ..services.scheduling.conftest import StudioBuilder
from .conftest import log_in


def test_a_version_form_sent_twice_makes_one_version(make_committing_app, studio_config):
    testapp, engine = make_committing_app()
    with get_session_factory(engine)() as dbsession:
        builder = StudioBuilder(dbsession, studio_config)
        task_id = builder.task("Layout", project=builder.project(), hours=9).id
        builder.commit()
    log_in(testapp)
    form = testapp.get(f"/tasks/{task_id}/versions/new").forms["version-form"]
    assert form["submission_key"].value
    first = form.submit(status=303)
    again = form.submit(status=303)  # the same form, as a browser retrying would send it
    assert again.location == first.location
    assert "already saved when you first sent the form" in again.follow().text
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Version)) == 1

    fresh = testapp.get(f"/tasks/{task_id}/versions/new").forms["version-form"]
    assert fresh["submission_key"].value != form["submission_key"].value
    assert fresh.submit(status=303).location != first.location
