"""An error page that knows when it came: before the commit nothing was saved; during the
commit the change may have been saved, and the page says to check rather than claim it."""

import pytest
from sqlalchemy import text

from stalker_web.services.studio import settings as studio_service

from .conftest import log_in, submit_studio_name


def test_an_error_in_a_view_says_nothing_was_saved(make_committing_app, monkeypatch):
    testapp, _ = make_committing_app()
    log_in(testapp)

    def broken_update(dbsession, studio, **values):
        raise RuntimeError("a bug")

    monkeypatch.setattr(studio_service, "update_studio", broken_update)
    page = submit_studio_name(testapp, "Not Saved", status=500)
    assert "Nothing you sent was saved" in page.text
    assert "may or may not have been saved" not in page.text


@pytest.mark.usefixtures("postgresql_only")
def test_an_error_while_committing_says_the_outcome_is_unknown(make_committing_app):
    """PostgreSQL refuses the commit itself: a deferred constraint trigger checks at COMMIT."""
    testapp, engine = make_committing_app()
    log_in(testapp)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$"
            )
        )
        connection.execute(
            text(
                "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER UPDATE ON studios "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()"
            )
        )
    page = submit_studio_name(testapp, "Refused At Commit", status=500)
    assert "may or may not have been saved" in page.text
    assert "check before you send it again" in page.text
    assert "Nothing you sent was saved" not in page.text


def test_a_faulty_query_is_an_error_page_not_an_outage(make_committing_app, monkeypatch):
    testapp, _ = make_committing_app()
    log_in(testapp)

    def faulty_update(dbsession, studio, **values):
        dbsession.execute(text("SELECT * FROM no_such_table"))

    monkeypatch.setattr(studio_service, "update_studio", faulty_update)
    page = submit_studio_name(testapp, "Not Saved", status=500)
    assert "Nothing you sent was saved" in page.text
