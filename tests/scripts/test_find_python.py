import os
import subprocess

from bot.settings import ROOT

SCRIPT = ROOT / "scripts" / "find-python"


def test_finds_a_python_310():
    found = subprocess.run([str(SCRIPT)], capture_output=True, text=True, check=True).stdout.strip()
    version = subprocess.run(
        [found, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True
    ).stdout.strip()
    assert version == "(3, 10)"


def test_says_clearly_when_there_is_none(tmp_path):
    # A PATH with only a broken python3.10 (like a pyenv shim for an uninstalled version).
    fake = tmp_path / "python3.10"
    fake.write_text("#!/bin/sh\nexit 127\n")
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path)}
    result = subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=env)
    if result.returncode == 0 and os.path.exists("/usr/bin/python3.10"):
        return  # the system itself has a 3.10: finding it is right
    assert result.returncode == 1
    assert "no working Python 3.10 found" in result.stderr
