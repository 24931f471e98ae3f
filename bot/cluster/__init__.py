"""Several processes behind one port: `python -m bot.cluster` (what `make cluster` calls).

PostgreSQL and Redis (local servers under var/cluster/, or existing ones by URL),
N Rasa server processes each with its own action server, and nginx in front on
CLUSTER_PORT. `main` is the whole public surface; the modules beside it are its parts.
"""

from bot.cluster.run import main

__all__ = ["main"]
