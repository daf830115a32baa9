"""Imports say what a module depends on: at the top, or inside a function only with a reason.

``lint-imports`` (``[tool.importlinter]`` in ``pyproject.toml``) checks which way imports point;
this checks the habit that keeps it honest, so a dependency cannot hide inside a function.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("consultations", "youthforum")
IMPORTS = ("from ", "import ")


def reason_above(lines, line):
    """The comment above the run of imports (and blank lines) that ``line`` is part of."""
    above = line - 2
    while above >= 0 and (not lines[above].strip() or lines[above].lstrip().startswith(IMPORTS)):
        above -= 1
    return lines[above].strip() if above >= 0 else ""


def local_imports():
    """(file, line, source line, comment above) for each import written inside a function."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        line = inner.lineno
                        yield (
                            path.relative_to(ROOT),
                            line,
                            lines[line - 1],
                            reason_above(lines, line),
                        )


def test_every_import_inside_a_function_gives_its_reason():
    found = list(local_imports())
    unexplained = [
        f"{path}:{line}: {text.strip()}"
        for path, line, text, above in found
        if "#" not in text and not above.startswith("#")
    ]
    assert found, "the scan found no function-local imports at all: is it reading the files?"
    assert unexplained == []
