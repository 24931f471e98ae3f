"""What a cluster is made of, read from the environment beside bot/settings.py.

RASA_PROCESSES (default 2) Rasa server processes, each with an action server of its
own, on loopback ports PORT+i and ACTION_PORT+i; nginx listens on HOST:CLUSTER_PORT
(default 8080). Local PostgreSQL and Redis servers are started unless DATABASE_URL
and TRACKER_STORE_URL name PostgreSQL (then they are used as they are) and
REDIS_URL is set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from bot.settings import SettingsError, _int, _str

POSTGRES_SCHEMES = ("postgresql://", "postgresql+psycopg2://", "postgres://")


@dataclass(frozen=True)
class ClusterConfig:
    rasa_processes: int
    port: int
    # None: start a local server of that kind under var/cluster/
    database_url: Optional[str]
    tracker_store_url: Optional[str]
    redis_url: Optional[str]
    folder: Path

    @property
    def local_postgres(self) -> bool:
        return self.database_url is None

    @property
    def local_redis(self) -> bool:
        return self.redis_url is None


def load(var_dir: Path, env: Optional[Mapping[str, str]] = None) -> ClusterConfig:
    env = os.environ if env is None else env
    database_url = _str(env, "DATABASE_URL", "") or None
    tracker_url = _str(env, "TRACKER_STORE_URL", "") or None
    given = [url for url in (database_url, tracker_url) if url]
    if given and (len(given) != 2 or not all(u.startswith(POSTGRES_SCHEMES) for u in given)):
        raise SettingsError(
            "a cluster shares one PostgreSQL: set DATABASE_URL and TRACKER_STORE_URL both to "
            "postgresql://... URLs, or neither (a local server is started)"
        )
    return ClusterConfig(
        rasa_processes=_int(env, "RASA_PROCESSES", 2, 1, 32),
        port=_int(env, "CLUSTER_PORT", 8080, 1, 65535),
        database_url=database_url,
        tracker_store_url=tracker_url,
        redis_url=_str(env, "REDIS_URL", "") or None,
        folder=var_dir / "cluster",
    )
