"""The client imports and runs in a Python that has none of the server's packages: a new venv
without pip, with only this checkout on its path."""

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import importlib.util, sys
for name in ("pyramid", "sqlalchemy", "webob", "jinja2"):
    assert importlib.util.find_spec(name) is None, name + " is installed here"
from stalker_web.client import Client, find_repository, native_path, relative_path
from stalker_web.client.__main__ import main
repos = [{"code": "PRJ", "roots": {"linux": "/mnt/prj/", "windows": "P:/", "macos": ""}}]
repo = find_repository(repos, "P:\\\\shots\\\\sh010\\\\comp_v003.nk")
assert relative_path(repo, "P:/shots/sh010/comp_v003.nk") == "shots/sh010/comp_v003.nk"
assert native_path(repo, "$REPOPRJ/shots/a.nk", "linux") == "/mnt/prj/shots/a.nk"
Client("http://127.0.0.1:9", "swt_x")
assert main(["--url", "", "--token", "", "my-tasks"]) == 2
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pyramid", "sqlalchemy")))
"""


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bare-venv")
    venv.EnvBuilder(with_pip=False).create(folder)
    return folder / "bin" / "python"


def test_the_client_imports_and_runs_without_the_servers_packages(bare_python):
    result = subprocess.run(
        [str(bare_python), "-I", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n{PROBE}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert sys.executable != str(bare_python)
