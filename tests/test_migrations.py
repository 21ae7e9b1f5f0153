"""The Alembic migrations build exactly the schema the models describe, and run both ways."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, ForeignKeyConstraint, Integer, MetaData, inspect

from alembic import command
from stalker_web.db import get_engine
from stalker_web.migrations import alembic_config, upgrade
from stalker_web.models import APP_TABLES, Base


def app_metadata() -> MetaData:
    """The app's own tables (an extension a test imported adds its own to Base.metadata)."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        if table.name in APP_TABLES:
            table.to_metadata(metadata)
    return metadata


def differences(connection, metadata: MetaData | None = None) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, metadata if metadata is not None else app_metadata())


def readable(difference) -> str:
    """One difference found by Alembic, in words a failing assertion can show."""
    if isinstance(difference, list):
        return "; ".join(readable(item) for item in difference)
    kind, *details = difference
    words = []
    for detail in details:
        if isinstance(detail, ForeignKeyConstraint):
            words += [
                f"{detail.table.name}.{element.parent.name} -> {element.target_fullname} "
                f"(ondelete {detail.ondelete})"
                for element in detail.elements
            ]
        else:
            words.append(str(detail))
    return f"{kind}: {', '.join(words)}"


def schema_differences(connection) -> list[str]:
    return [readable(difference) for difference in differences(connection)]


def test_migrated_schema_equals_the_models(dbengine):
    with dbengine.connect() as connection:
        assert schema_differences(connection) == []


def test_the_comparison_notices_a_column_the_migrations_lack(dbengine):
    metadata = app_metadata()
    metadata.tables["tags"].append_column(Column("colour_index", Integer))
    with dbengine.connect() as connection:
        found = differences(connection, metadata)
    added = [(item[2], item[3].name) for item in found if item[0] == "add_column"]
    assert added == [("tags", "colour_index")]


def test_downgrade_to_base_and_upgrade_again(fresh_database_url):
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    try:
        with engine.begin() as connection:
            upgrade(connection)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection=connection), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        with engine.begin() as connection:
            upgrade(connection)
        with engine.connect() as connection:
            assert schema_differences(connection) == []
    finally:
        engine.dispose()
