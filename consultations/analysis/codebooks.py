"""Codebooks: the themes answers are coded into (:class:`ThemeSpec`), read from YAML.

A codebook is ``themes:`` then a list of themes, each with a ``name``, and optionally a
``description``, ``keywords`` and a ``parent`` (two levels at most). The engine that codes
answers with one is :mod:`consultations.analysis.theme_coding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class ThemeSpec:
    """A theme as the engine sees it: what the codebook says about it."""

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    parent: str | None = None


def _looks_like_a_path(text: str) -> bool:
    """A one-line string naming a ``.yaml`` file or any file that exists is a path."""
    if "\n" in text or not text.strip():
        return False
    if text.strip().endswith((".yaml", ".yml")):
        return True
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def load_codebook_yaml(path_or_text: str | Path) -> list[ThemeSpec]:
    """Read a codebook: ``themes:`` then a list of ``name`` (required), ``description``,
    ``keywords`` (a list, or one per line) and ``parent`` (another theme's name).

    ``path_or_text`` is a ``Path``, a file name (a one-line string ending ``.yaml``/``.yml``,
    or naming a file that exists) or the YAML itself.

    Raises ``ValueError`` with a message a person can act on for a missing or unreadable file,
    bad YAML, a missing name, a duplicate name (ignoring case), a ``;`` in a name (it separates
    themes in CSV files), an unknown parent or more than two levels. Other keys (``colour``)
    are ignored.
    """
    if isinstance(path_or_text, Path) or _looks_like_a_path(path_or_text):
        path = Path(path_or_text)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ValueError(f"codebook file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read codebook file {path}: {error}") from None
    else:
        text = str(path_or_text)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"the codebook is not valid YAML: {error}") from None
    if not isinstance(data, dict) or "themes" not in data:
        raise ValueError("the codebook must start with 'themes:' followed by a list of themes")
    items = data["themes"]
    if not isinstance(items, list) or not items:
        raise ValueError("'themes:' must be followed by a list with at least one theme")

    specs: list[ThemeSpec] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        where = f"theme {number}"
        if not isinstance(item, dict):
            raise ValueError(f"{where} must be a mapping with at least a 'name'")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where} has no name")
        name = " ".join(name.split())
        where = f"theme {number} ({name!r})"
        if ";" in name:
            raise ValueError(f"{where}: a theme name may not contain ';'")
        if name.casefold() in seen:
            raise ValueError(
                f"{where}: the name is used twice (also theme {seen[name.casefold()]})"
            )
        seen[name.casefold()] = number
        description = item.get("description") or ""
        if not isinstance(description, str):
            raise ValueError(f"{where}: the description must be text")
        keywords = item.get("keywords") or []
        if isinstance(keywords, str):
            keywords = keywords.splitlines()
        if not isinstance(keywords, list) or not all(
            isinstance(k, str | int | float) and not isinstance(k, bool) for k in keywords
        ):
            raise ValueError(f"{where}: keywords must be a list of words or phrases")
        keywords = tuple(str(k).strip() for k in keywords if str(k).strip())
        parent = item.get("parent")
        if parent is not None and (not isinstance(parent, str) or not parent.strip()):
            raise ValueError(f"{where}: the parent must be another theme's name")
        parent = " ".join(parent.split()) if parent else None
        specs.append(ThemeSpec(name, description.strip(), keywords, parent))

    by_name = {spec.name.casefold(): spec for spec in specs}
    resolved: list[ThemeSpec] = []
    for spec in specs:
        if spec.parent is None:
            resolved.append(spec)
            continue
        parent = by_name.get(spec.parent.casefold())
        if parent is None:
            raise ValueError(f"theme {spec.name!r} has an unknown parent {spec.parent!r}")
        if parent.name == spec.name:
            raise ValueError(f"theme {spec.name!r} cannot be its own parent")
        if parent.parent is not None:
            raise ValueError(
                f"theme {spec.name!r} is under {parent.name!r}, which is itself under "
                f"{parent.parent!r}: codebooks have two levels at most"
            )
        resolved.append(ThemeSpec(spec.name, spec.description, spec.keywords, parent.name))
    return resolved
