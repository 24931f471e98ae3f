"""The layout a newcomer relies on: small modules, each saying what it holds,
and tests that mirror the code."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 300


def _modules():
    for folder in ("bot", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_is_small_and_says_what_it_holds(path):
    lines = path.read_text().splitlines()
    assert len(lines) <= MAX_LINES, f"{len(lines)} lines: split it by what each part is for"
    if path.name == "__init__.py" and path.parent.parent.name == "tests":
        return
    body = path.read_text().lstrip()
    assert not lines or body.startswith(('"""', "'''", "#")), "first line: what is inside"


def _test_modules():
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if "__pycache__" not in path.parts:
            yield path


@pytest.mark.parametrize("path", list(_test_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_unit_tests_mirror_the_code(path):
    """tests/bot/X/test_Y.py tests bot/X/Y.py (or the package bot/X/Y/, or its data file
    bot/X/Y.yml); tests/bot/X/test_X.py tests bot/X/__init__.py; likewise actions/."""
    relative = path.relative_to(ROOT / "tests")
    top = relative.parts[0]
    if top not in ("bot", "actions"):
        assert top in ("server", "browser", "scripts") or len(relative.parts) == 1
        return
    code = ROOT / relative.parent / relative.name[len("test_") :]
    package = code.with_suffix("")
    init = code.parent / "__init__.py" if code.stem == code.parent.name else None
    assert (
        code.exists()
        or package.is_dir()
        or code.with_suffix(".yml").exists()
        or (init is not None and init.exists())
    ), f"no {code.relative_to(ROOT)} for this test"
