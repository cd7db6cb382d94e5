"""The project's own files, as committed."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".git", ".venv", "node_modules", "staticfiles", "__pycache__", ".pytest_cache", ".ruff_cache"}
TEXT = {".py", ".html", ".txt", ".md", ".css", ".js", ".json", ".toml", ".cfg", ".yml", ".yaml", ".lua", ""}
MARKERS = ("<<<<<<< ", ">>>>>>> ")


def _files(folder):
    for path in folder.iterdir():
        if path.name in SKIPPED or path.is_symlink():
            continue
        if path.is_dir():
            yield from _files(path)
        elif path.suffix in TEXT:
            yield path


def test_no_file_keeps_a_merges_conflict_markers():
    # A merge left both sides of a conflict in a template once, and every page using it showed them.
    conflicted = [
        str(path.relative_to(ROOT))
        for path in _files(ROOT)
        if any(line.startswith(MARKERS) for line in path.read_text(errors="replace").splitlines())
    ]
    assert conflicted == []
