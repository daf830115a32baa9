"""Reading the screen's rules: the YAML files, their sections, and one compiled rule.

The shipped rules are in :data:`RULES_DIR`, one file per category plus ``_shared.yaml`` (word
lists, person cues, look-alikes for every category) and ``_normalise.yaml`` (how answers are
read). A category file's sections are :data:`DISCLOSURE_SECTIONS` and the look-alikes ``not``
and ``not_in_sentence``. Folders given later add to earlier ones (:func:`_read_folders`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .patterns import Needs, _short
from .results import CONCERN, URGENT

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "safeguarding"

#: Sections of a category file: severity, and whether a person cue must be near.
DISCLOSURE_SECTIONS = {
    "urgent": (URGENT, False),
    "concern": (CONCERN, False),
    "urgent_near_person": (URGENT, True),
    "concern_near_person": (CONCERN, True),
}
_CATEGORY_KEYS = {"name", "label", "description", "not", "not_in_sentence", *DISCLOSURE_SECTIONS}
_SHARED_KEYS = {
    "vocab",
    "person",
    "close_pronouns",
    "not_person",
    "topic",
    "not",
    "not_in_sentence",
}
_NORMALISE_KEYS = {"words", "leet", "between_words", "symbols"}


class ScreenRulesError(ValueError):
    """A rules file cannot be read: the message names the file, the section and the entry."""


@dataclass(slots=True)
class _Rule:
    id: int
    category: str  # "" for the shared lists
    section: str
    name: str
    source: str  # the regex, compiled when first needed (compiling all takes about a second)
    needs: Needs  # rarest first: indexed by the first two, the rest checked before the regex
    severity: str | None = None
    near_person: bool = False
    compiled: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return self.compiled


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # the C loader when libyaml is there: the same rules, faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RulesLoader(_SafeLoader):
    """YAML as safeguarding staff would expect: "no", "yes", "on" and "off" stay words (plain
    YAML reads them as true/false), and a section written twice is an error, not a silent loss."""


_RulesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_RulesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _mapping_without_repeats(
    loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Hashable, Any]:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is written twice; merge the two", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_RulesLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats
)


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for k, v in extra.items():
            merged[k] = _merge(merged[k], v) if k in merged else v
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


def _read_folders(folders: Iterable[Path | str]) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise ScreenRulesError(f"{folder}: no such folder of screen rules")
        for path in sorted(folder.glob("*.yaml")):
            try:
                # _RulesLoader is a SafeLoader: it builds plain lists, dicts and strings only.
                text = path.read_text(encoding="utf-8")
                data = yaml.load(text, Loader=_RulesLoader) or {}  # noqa: S506
            except yaml.YAMLError as exc:
                raise ScreenRulesError(f"{path}: not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise ScreenRulesError(f"{path}: expected sections (key: value), not a list")
            data["__file__"] = str(path)
            files[path.stem] = _merge(files[path.stem], data) if path.stem in files else data
    return files


def check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(data) - allowed - {"__file__"}
    if unknown:
        raise ScreenRulesError(
            f"{where}: unknown section(s) {', '.join(sorted(unknown))}; "
            f"expected some of {', '.join(sorted(allowed))}"
        )


def rule_entries(data: Mapping[str, Any], section: str) -> Iterable[tuple[str, str, Any]]:
    """(kind, name, source) for each term, pattern and regex in a section of a rule file."""
    where = f"{data.get('__file__', '?')}: {section}"
    body = data.get(section)
    if body is None:
        return
    if not isinstance(body, dict) or set(body) - {"terms", "patterns", "together"}:
        raise ScreenRulesError(f"{where}: expected `terms:`, `patterns:` or `together:` lists")
    for kind in ("terms", "patterns", "together"):
        entries = body.get(kind) or []
        if not isinstance(entries, list):
            raise ScreenRulesError(f"{where}: {kind} must be a list")
        for entry in entries:
            if kind == "together":
                words = entry.get("words") if isinstance(entry, dict) else entry
                if not isinstance(words, list) or len(words) < 2:
                    raise ScreenRulesError(
                        f"{where}: together: {entry!r} needs `words:` with two or more lists"
                    )
                name = entry.get("name") if isinstance(entry, dict) else None
                yield kind, str(name or " + ".join(map(_short, words))), words
            elif isinstance(entry, dict):
                if "regex" in entry:
                    yield "regex", str(entry.get("name") or entry["regex"]), entry
                elif "pattern" in entry:
                    yield kind, str(entry.get("name") or entry["pattern"]), entry["pattern"]
                else:
                    raise ScreenRulesError(f"{where}: {entry!r} has no pattern or regex")
            else:
                yield kind, str(entry), str(entry)
