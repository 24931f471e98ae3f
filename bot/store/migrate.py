"""Run the Alembic migrations: `python -m bot.store.migrate [upgrade|current]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from alembic import command
from alembic.config import Config

from bot import settings as settings_module

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # `%` is ConfigParser's interpolation character: escape it in passwords.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a file-backed SQLite URL so the first run just works."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        Path(url[len(prefix) :]).parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: Optional[str] = None) -> None:
    url = url or settings_module.load().database_url
    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), "head")


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["upgrade", "current"], nargs="?", default="upgrade")
    parser.add_argument("--database-url", default=None, help="defaults to DATABASE_URL")
    args = parser.parse_args(argv)
    url = args.database_url or settings_module.load().database_url
    if args.action == "upgrade":
        upgrade(url)
    else:
        command.current(alembic_config(url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
