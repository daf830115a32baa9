"""Every module can be read in one sitting: none is over 600 lines (ADR 0008).

Tests and migrations are exempt, and so is the demo's words-and-pictures data
(``youthforum/demo/content.py``: page text and image captions, no logic), as #16 asks.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("consultations", "youthforum", "benchmarks")
MOST_LINES = 600
DATA = {Path("youthforum/demo/content.py")}


def test_no_module_is_over_600_lines():
    too_long = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative in DATA:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MOST_LINES:
                too_long[str(relative)] = lines
    assert too_long == {}, f"split these along their seams: {too_long}"
