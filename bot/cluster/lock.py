"""One cluster per data folder: an exclusive lock on var/cluster/cluster.pid.

The operating system drops the lock when the process ends, however it ends, so a
stale file never blocks the next start; the file says which process holds it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO, Optional


class AlreadyRunning(RuntimeError):
    def __init__(self, pid: Optional[int]) -> None:
        super().__init__(f"a cluster is already running (pid {pid or 'unknown'}); stop it first")
        self.pid = pid


def acquire(folder: Path) -> IO[str]:
    """Hold the lock for this process (keep the returned file open); AlreadyRunning else."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle = open(folder / "cluster.pid", "a+")  # held until the process exits
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        text = handle.read().strip()
        handle.close()
        raise AlreadyRunning(int(text) if text.isdigit() else None) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle
