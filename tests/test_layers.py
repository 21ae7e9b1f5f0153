"""The layers import downwards only: models, config, the file kinds and the events never import
services or views, and services never import views (read from the source, imports inside
functions too)."""

import ast
from pathlib import Path

import pytest

import stalker_web

PACKAGE_ROOT = Path(stalker_web.__file__).parent
# Module (or package) prefix: the packages it must not import.
FORBIDDEN = {
    "stalker_web.models": ("stalker_web.services", "stalker_web.views"),
    "stalker_web.config": ("stalker_web.services", "stalker_web.views"),
    "stalker_web.file_kinds": ("stalker_web.services", "stalker_web.views"),
    "stalker_web.events": ("stalker_web.services", "stalker_web.views"),
    "stalker_web.services": ("stalker_web.views",),
}


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def imported_names(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file at ``path`` (a module of the
    package at ``root``); a name imported from a package counts as a module of it."""
    module = _module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def layer_violations(root: Path = PACKAGE_ROOT) -> list[str]:
    """Each import that breaks ``FORBIDDEN``, as "file:line imports module"."""
    violations = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        forbidden = [
            banned
            for prefix, banned_list in FORBIDDEN.items()
            if _within(module, prefix)
            for banned in banned_list
        ]
        for line, name in imported_names(path, root):
            if any(_within(name, banned) for banned in forbidden):
                where = path.relative_to(root.parent)
                violations.append(f"{where}:{line} imports {name}")
    return violations


def test_no_layer_imports_a_layer_above_it():
    assert layer_violations() == []


@pytest.mark.parametrize(
    ("relative_path", "source", "offending"),
    [
        ("models/example.py", "from ..services.tasks import commands\n", "stalker_web.services"),
        ("config/__init__.py", "def f():\n    from ..views import common\n", "stalker_web.views"),
        ("services/tasks/example.py", "import stalker_web.views.tasks\n", "stalker_web.views"),
    ],
)
def test_an_upward_import_is_named_with_its_file_and_line(
    tmp_path, relative_path, source, offending
):
    path = tmp_path / "stalker_web" / relative_path
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    [violation] = layer_violations(tmp_path / "stalker_web")
    assert violation.startswith(f"stalker_web/{relative_path}:")
    assert offending in violation
