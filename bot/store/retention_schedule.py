"""The server's daily retention run: `start_daily(settings)` from bot/rasa/serve.py.

With RETENTION_DAYS above 0 a daemon thread purges member data older than that
many days (bot/store/retention.py, actor `retention-daily`) once at start and
then every 24 hours. Each run writes its audit row and logs counts only. A run
that fails (the database is down, say) is logged by the error's type alone and
tried again after RETRY_SECONDS; the thread lives on. With RETENTION_DAYS=0
nothing is started. Several server processes may each run it: the deletes are
idempotent, each run just writes its own audit row.

Hosts that prefer the system's scheduler can instead enable
deploy/systemd/ecm-retention.timer, which runs `python -m bot.store.retention
--days ${RETENTION_DAYS}` daily (then leave RETENTION_DAYS out of the server's
environment, or accept the harmless second run).
"""

from __future__ import annotations

import logging
import threading
from typing import Optional

from bot.settings import Settings
from bot.store import retention

logger = logging.getLogger(__name__)

ACTOR = "retention-daily"
DAY_SECONDS = 24 * 60 * 60.0
RETRY_SECONDS = 60 * 60.0


def run_once(settings: Settings) -> bool:
    """One age purge; False (logged, audited, never raised) if it failed."""
    try:
        retention.purge_older_than(settings.retention_days, settings.tracker_store_url, actor=ACTOR)
    except Exception as error:  # noqa: BLE001 - the thread must outlive any failure
        logger.error("retention: daily purge failed (%s), will retry", type(error).__name__)
        return False
    return True


def _loop(settings: Settings, interval: float, retry_after: float, stop: threading.Event) -> None:
    while not stop.is_set():
        wait = interval if run_once(settings) else min(retry_after, interval)
        if stop.wait(wait):
            return


def start_daily(
    settings: Settings,
    interval: float = DAY_SECONDS,
    retry_after: float = RETRY_SECONDS,
    stop: Optional[threading.Event] = None,
) -> Optional[threading.Thread]:
    """Start the daily purge thread (daemon); None, and nothing started, when
    RETENTION_DAYS is 0. `stop`, when set, ends the thread after its current run."""
    if settings.retention_days <= 0:
        logger.info("retention: RETENTION_DAYS is 0, no daily purge")
        return None
    thread = threading.Thread(
        target=_loop,
        args=(settings, interval, retry_after, stop or threading.Event()),
        name="ecm-retention-daily",
        daemon=True,
    )
    thread.start()
    logger.info(
        "retention: purging data older than %d days now and every %d hours",
        settings.retention_days,
        round(interval / 3600),
    )
    return thread
