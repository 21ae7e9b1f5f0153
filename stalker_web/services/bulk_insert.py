"""Inserting many rows of one table at once: PostgreSQL's COPY, SQLite's own executemany.

The rows are plain dicts of column values; a column a row leaves out gets the column's Python
default (``date_created`` and the like), as an INSERT would give it. The values go through the
column types (enums, JSON, UTC dates) as in any statement. The rows bypass the ORM: the caller
inside a request marks its session changed (``zope.sqlalchemy.mark_changed``) so it commits.
"""

from collections.abc import Iterator, Sequence

from sqlalchemy import Table
from sqlalchemy.orm import Session


def _default(column):
    default = column.default
    if default is None or not (default.is_scalar or default.is_callable):
        return None
    return default.arg(None) if default.is_callable else default.arg


def _prepared(dialect, table: Table, rows: Sequence[dict]) -> tuple[list, Iterator[list]]:
    """The columns the rows fill (or that have a default) and each row's values as the driver
    takes them (through the column types)."""
    names = {name for row in rows for name in row}
    columns = [
        column for column in table.columns if column.name in names or column.default is not None
    ]
    processors = [column.type._cached_bind_processor(dialect) for column in columns]
    defaults = {column.name: _default(column) for column in columns}

    def values(row: dict) -> list:
        return [
            value if process is None or value is None else process(value)
            for value, process in (
                (row[column.name] if column.name in row else defaults.get(column.name), process)
                for column, process in zip(columns, processors, strict=True)
            )
        ]

    return columns, (values(row) for row in rows)


def insert_rows(dbsession: Session, table: Table, rows: Sequence[dict]) -> None:
    """Insert ``rows`` into ``table`` in their order (parents before children where a row
    refers to another of the same table)."""
    if not rows:
        return
    dbsession.flush()  # the rows may refer to objects not written yet
    connection = dbsession.connection()
    dialect = connection.dialect
    columns, values = _prepared(dialect, table, rows)
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(column.name) for column in columns)
    cursor = connection.connection.driver_connection.cursor()
    try:
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:  # SQLite: the driver's own executemany, in the session's transaction
            marks = ", ".join("?" for _column in columns)
            statement = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608 - names from the metadata
            cursor.executemany(statement, values)
    finally:
        cursor.close()
