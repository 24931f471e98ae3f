from sqlalchemy import inspect, select

from bot import store
from bot.store.models import SafetyReview


def test_migrations_create_the_application_tables(database_url):
    tables = set(inspect(store.get_engine()).get_table_names())
    assert {"alembic_version", "safety_reviews"} <= tables


def test_session_scope_commits_and_rolls_back(database_url):
    with store.session_scope() as session:
        session.add(SafetyReview(sender_id="rest:a", channel="rest", kind="crisis"))
    try:
        with store.session_scope() as session:
            session.add(SafetyReview(sender_id="rest:b", channel="rest", kind="crisis"))
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with store.session_scope() as session:
        senders = session.execute(select(SafetyReview.sender_id)).scalars().all()
    assert senders == ["rest:a"]


def test_upgrade_twice_is_harmless(database_url):
    from bot.store import migrate

    migrate.upgrade(database_url)
    assert "safety_reviews" in inspect(store.get_engine()).get_table_names()


def test_the_migrated_schema_matches_the_models(database_url):
    # a column added to or dropped from models.py without a migration fails here
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.store.models import Base

    with store.get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
