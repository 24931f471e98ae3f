"""Rasa input channels: REST, SMS (Twilio), the web widget's files, the agent console."""

from __future__ import annotations

import asyncio
from typing import Any, Callable


async def in_thread(function: Callable, *args: Any) -> Any:
    """Run blocking work (database calls) off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
