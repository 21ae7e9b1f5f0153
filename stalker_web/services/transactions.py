"""Savepoints that nest inside a real transaction on SQLite as on PostgreSQL.

pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so a SAVEPOINT issued first
starts one of its own, and releasing it COMMITS: a later failure of the request could no longer
roll that work back. Opening the transaction first (BEGIN IMMEDIATE, which also takes SQLite's
one write lock, so a concurrent writer waits instead of failing) keeps the savepoint nested.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


def hold_write_lock(dbsession: Session) -> None:
    """On SQLite, open the transaction with BEGIN IMMEDIATE unless one is already open."""
    connection = dbsession.connection()
    if connection.dialect.name != "sqlite":
        return
    driver_connection = connection.connection.driver_connection
    if not driver_connection.in_transaction:
        driver_connection.execute("BEGIN IMMEDIATE")


@contextmanager
def savepoint(dbsession: Session) -> Iterator[None]:
    """A SAVEPOINT undone when the block raises, nested in the request's transaction."""
    hold_write_lock(dbsession)
    with dbsession.begin_nested():
        yield
