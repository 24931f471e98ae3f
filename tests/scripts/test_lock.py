"""scripts/lock and the two lock files it writes."""

import importlib.machinery
import importlib.util
import re

import pytest
from packaging.utils import canonicalize_name

from bot.settings import ROOT


def load_lock_script():
    loader = importlib.machinery.SourceFileLoader("lock_script", str(ROOT / "scripts" / "lock"))
    spec = importlib.util.spec_from_loader("lock_script", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


lock = load_lock_script()
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n    --hash=sha256:[0-9a-f]{64}$", re.M)


def pins(path):
    text = path.read_text()
    found = {canonicalize_name(name): version for name, version in PIN.findall(text)}
    # every requirement line is a hashed pin: nothing pip could resolve or swap
    requirement_lines = [line for line in text.splitlines() if re.match(r"^[A-Za-z0-9]", line)]
    assert len(requirement_lines) == len(found), path.name
    return found


RUNTIME = pins(lock.RUNTIME_LOCK)
DEV = pins(lock.DEV_LOCK)


@pytest.mark.parametrize("tool", sorted(lock.DEV_TOOLS))
def test_the_runtime_lock_carries_no_test_tool(tool):
    assert canonicalize_name(tool) not in RUNTIME


def test_the_locks_do_not_overlap_and_pin_what_the_assistant_imports():
    assert not set(RUNTIME) & set(DEV)
    for needed in ("rasa", "rasa-sdk", "sanic", "twilio", "sqlalchemy", "alembic", "cryptography"):
        assert needed in RUNTIME
    for tool in ("pytest", "pytest-asyncio", "ruff", "playwright"):
        assert tool in DEV


def test_the_split_follows_the_dependency_graph():
    dists = lock.installed()
    runtime, development = lock.split(dists)
    assert "rasa" in runtime and "pytest" in development
    # a package both sides need (pluggy: rasa and pytest) belongs to the runtime
    assert "pluggy" in runtime
    # everything a runtime package needs is in the runtime too
    for name in runtime:
        for requirement in lock.requirements_of(dists[name], ()):
            needed = canonicalize_name(requirement.name)
            assert needed not in development, (name, needed)
