"""Apps depend one way: inspections <- improvement <- scrutiny. The read side that joins them
(the golden thread, the overview) lives above them in config. Checked from the source of every
module of each app, migrations included, following imports through the project's own modules
(an app may use a helper in config, but not one that reaches an app above it), so an import
inside a function counts too."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

PACKAGES = ("config", "inspections", "improvement", "scrutiny")

# What each app must never reach, directly or through the project's other modules.
FORBIDDEN = {"inspections": {"improvement", "scrutiny"}, "improvement": {"scrutiny"}}


def module_name(path):
    parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path, known):
    """The project modules a module imports, wherever in the module the import is."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from a.b import c` imports a.b, and a.b.c when c is a module.
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name in known:
                yield name, node.lineno


def import_graph():
    modules = {
        module_name(path): path for package in PACKAGES for path in (Path(settings.BASE_DIR) / package).rglob("*.py")
    }
    return {name: list(imports_of(path, modules)) for name, path in modules.items()}


def reached_from(graph, start):
    """Every project module `start` reaches, each with the chain of imports that reaches it."""
    chains, todo = {start: [start]}, [start]
    while todo:
        current = todo.pop()
        for imported, line in graph[current]:
            if imported not in chains:
                chains[imported] = [*chains[current], f"{imported} (line {line} of {current})"]
                todo.append(imported)
    return chains


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_reaches_nothing_in_the_apps_above_it(app):
    graph = import_graph()
    own = [name for name in graph if name.split(".")[0] == app]
    assert own, f"No modules found for {app}"
    offending = {
        " -> ".join(chain)
        for name in own
        for reached, chain in reached_from(graph, name).items()
        if reached.split(".")[0] in FORBIDDEN[app]
    }
    assert not offending, "\n".join(sorted(offending))


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from scrutiny.models import ScrutinyAction\n")
    assert ("scrutiny.models", 2) in set(imports_of(module, {"scrutiny.models"}))


def test_the_check_follows_imports_through_config():
    graph = {
        "improvement.views": [("config.helpers", 1)],
        "config.helpers": [("scrutiny.models", 3)],
        "scrutiny.models": [],
    }
    assert "scrutiny.models" in reached_from(graph, "improvement.views")
