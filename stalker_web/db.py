"""Database wiring: engine, session factory, per-request sessions and audit fields."""

from typing import Any

import zope.sqlalchemy
from sqlalchemy import engine_from_config, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from .events import dispatch_to
from .models.meta import utcnow
from .models.mixins import EntityMixin

CURRENT_USER_KEY = "current_user_id"
# Rows a request reads once however often its code asks (see ``request_reads``).
REQUEST_READS_KEY = "request_reads"


# PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes
# ``jit_above_cost``. The aggregates of the overview and the home pages pass it (their correlated
# subqueries are costed high) although they run in a few milliseconds, and compiling took longer
# than running: 15 of the 24 ms of the large studio's lateness counts. Pages never gain from it.
NO_JIT = "-c jit=off"


def get_engine(settings: dict[str, Any], prefix: str = "sqlalchemy.") -> Engine:
    """Build the engine from ini settings; SQLite connections get foreign keys switched on,
    PostgreSQL ones the timeouts of ``postgresql_timeouts`` and no JIT (see ``NO_JIT``)."""
    url = make_url(settings[f"{prefix}url"])
    connect_args = {}
    if url.get_backend_name() == "postgresql":
        connect_args = postgresql_timeouts(settings)
        connect_args["options"] = f"{connect_args.get('options', '')} {NO_JIT}".strip()
    engine = engine_from_config(settings, prefix, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def postgresql_timeouts(settings: dict[str, Any]) -> dict[str, Any]:
    """psycopg's connect arguments for ``db.connect_timeout_seconds`` (how long to wait for the
    server to answer a new connection) and ``db.statement_timeout_seconds`` (the longest a
    statement may run before PostgreSQL stops it), when the ini sets them: a stalled database
    then fails requests quickly instead of holding every server thread."""
    connect_args: dict[str, Any] = {}
    if settings.get("db.connect_timeout_seconds"):
        connect_args["connect_timeout"] = int(settings["db.connect_timeout_seconds"])
    if settings.get("db.statement_timeout_seconds"):
        milliseconds = int(float(settings["db.statement_timeout_seconds"]) * 1000)
        connect_args["options"] = f"-c statement_timeout={milliseconds}"
    return connect_args


def _enable_sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def get_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine)


def get_tm_session(session_factory: sessionmaker[Session], transaction_manager, request=None):
    """A session joined to ``transaction_manager``: committed or aborted with the transaction.

    The session joins as "changed", so a transaction that ends well ends with COMMIT even when
    it only read. zope.sqlalchemy would end a read-only one with ROLLBACK, and psycopg forgets
    every server-prepared statement on ROLLBACK, so each request's queries were parsed and
    planned afresh. What a request must not keep is still rolled back: an error, or a response
    the commit veto refuses (4xx/5xx, ``X-Tm: abort``), aborts the transaction.
    """
    dbsession = session_factory(info={"request": request})
    zope.sqlalchemy.register(
        dbsession,
        transaction_manager=transaction_manager,
        initial_state=zope.sqlalchemy.datamanager.STATUS_CHANGED,
    )
    return dbsession


def set_current_user(dbsession: Session, user_id: int | None) -> None:
    """Name who is acting, so the audit fields of what this session writes point to them."""
    dbsession.info[CURRENT_USER_KEY] = user_id


def request_reads(dbsession: Session) -> dict | None:
    """Where a web request's session keeps rows read once for the whole request (the studio
    row, asked for by several parts of a page); None outside a request. Emptied when the request
    ends, so a test's session shared by several requests reads them again in each."""
    return dbsession.info.get(REQUEST_READS_KEY)


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
    # pyramid_tm would name the signed-in user on every transaction, reading the session even
    # for a static file: that costs a query and made the outage page's stylesheet need the
    # database. Nothing reads the annotation.
    settings["tm.annotate_user"] = "false"
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
        session.info[REQUEST_READS_KEY] = {}
        request.add_finished_callback(lambda _request: session.info.pop(REQUEST_READS_KEY, None))
        return session

    config.add_request_method(dbsession, reify=True)
