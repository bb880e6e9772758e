"""The apps' layers (pyproject.toml, [tool.importlinter]; docs/adr/0004) are checked by `lint-imports` in
`make lint`. Here the check runs on a copy of the source: it passes as the tree is, and fails once a module
of a lower layer imports one above it — even inside a function."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def source(tmp_path):
    """A copy of the layered packages and the contract, to break at will."""
    config = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"]
    for package in config["root_packages"]:
        shutil.copytree(BASE_DIR / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "templates", "static"))
    shutil.copy(BASE_DIR / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True, timeout=120)


def test_the_tree_keeps_its_layers_and_an_upward_import_breaks_them(source):
    clean = _lint(source)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    with (source / "communities" / "selectors.py").open("a") as module:
        module.write("\n\ndef _upward():\n    from petitions.models import Petition\n\n    return Petition\n")
    broken = _lint(source)
    assert broken.returncode != 0
    assert "communities.selectors -> petitions.models" in broken.stdout, broken.stdout
