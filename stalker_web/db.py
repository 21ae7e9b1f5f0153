"""Database wiring: engine, session factory, per-request sessions and audit fields."""

from typing import Any

import zope.sqlalchemy
from sqlalchemy import engine_from_config, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .events import dispatch_to
from .models.meta import utcnow
from .models.mixins import EntityMixin

CURRENT_USER_KEY = "current_user_id"


def get_engine(settings: dict[str, Any], prefix: str = "sqlalchemy.") -> Engine:
    """Build the engine from ini settings; SQLite connections get foreign keys switched on."""
    engine = engine_from_config(settings, prefix)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def _enable_sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def get_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine)


def get_tm_session(session_factory: sessionmaker[Session], transaction_manager, request=None):
    """A session joined to ``transaction_manager``: committed or aborted with the transaction."""
    dbsession = session_factory(info={"request": request})
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    return dbsession


def set_current_user(dbsession: Session, user_id: int | None) -> None:
    """Name who is acting, so the audit fields of what this session writes point to them."""
    dbsession.info[CURRENT_USER_KEY] = user_id


def current_user_id(dbsession: Session) -> int | None:
    """Who is acting in ``dbsession`` (None: the system, a script or the worker)."""
    return dbsession.info.get(CURRENT_USER_KEY)


@event.listens_for(Session, "before_flush")
def _stamp_audit_fields(dbsession: Session, flush_context, instances) -> None:
    """Set Stalker's created_by/updated_by/date_updated on every written entity."""
    user_id = dbsession.info.get(CURRENT_USER_KEY)
    now = utcnow()
    for entity in dbsession.new:
        if isinstance(entity, EntityMixin):
            if entity.created_by_id is None and entity.created_by is None:
                entity.created_by_id = user_id
            if entity.updated_by_id is None and entity.updated_by is None:
                entity.updated_by_id = user_id
    for entity in dbsession.dirty:
        if isinstance(entity, EntityMixin) and dbsession.is_modified(entity):
            entity.date_updated = now
            if user_id is not None:
                entity.updated_by_id = user_id


def includeme(config) -> None:
    """Give every request a transaction-bound ``request.dbsession`` whose domain events go to
    the registry's subscribers."""
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    # A 4xx/5xx response rolls the whole request back, so a refused form never half-saves.
    # A view that must keep something it wrote while refusing (a failed login attempt) says so
    # with the response header ``X-Tm: commit``.
    settings["tm.commit_veto"] = "pyramid_tm.default_commit_veto"
    config.include("pyramid_tm")
    config.include("pyramid_retry")
    session_factory = get_session_factory(get_engine(settings))
    config.registry["dbsession_factory"] = session_factory

    def dbsession(request):
        # Tests hand in their own session through the WSGI environ so setup and requests share
        # one transaction that is rolled back afterwards.
        session = request.environ.get("app.dbsession")
        if session is None:
            session = get_tm_session(session_factory, request.tm, request=request)
        dispatch_to(session, request.registry.notify)
        return session

    config.add_request_method(dbsession, reify=True)
