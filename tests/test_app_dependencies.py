"""Apps depend one way: inspections <- improvement <- scrutiny. The read side that joins them
(the golden thread, the overview) lives above them in config. Checked on every module of each
app, migrations included, from its source, so an import inside a function counts too."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# What each app must never import from.
FORBIDDEN = {
    "inspections": {"improvement", "scrutiny", "config"},
    "improvement": {"scrutiny", "config"},
}


def imported_apps(path):
    """The top-level packages a module imports, wherever in the module the import is."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_nothing_from_the_apps_above_it(app):
    modules = sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))
    assert modules, f"No modules found for {app}"
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}:{line} imports {package}"
        for path in modules
        for package, line in imported_apps(path)
        if package in FORBIDDEN[app]
    ]
    assert not offending, "\n".join(offending)


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from scrutiny.models import ScrutinyAction\n")
    assert ("scrutiny", 2) in set(imported_apps(module))
