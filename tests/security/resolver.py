"""Every URL pattern the site answers, read from Django's URL resolver, and how to build one.

The security tests walk these rather than a hand-written list, so a URL added anywhere (an app's
``urls.py``, a Wagtail hook, allauth) is tried without anyone remembering to add it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)

CONVERTER_KINDS = {
    IntConverter: "int",
    SlugConverter: "slug",
    UUIDConverter: "uuid",
    PathConverter: "path",
    StringConverter: "str",
}
# Where a route's fixed text ends: the first converter or regular-expression syntax.
_DYNAMIC = re.compile(r"[<(\[\\.*+?|{]")


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern: its whole route, its namespaced name and what goes in its blanks."""

    route: str
    name: str | None
    params: tuple[tuple[str, str], ...]  # (keyword, kind) for every named blank
    positional: int  # unnamed regular-expression groups (Wagtail's serve patterns)
    module: str

    @property
    def key(self) -> str:
        """How tests refer to it: its name, or its route when it has none."""
        return self.name or self.route

    @property
    def fixed_prefix(self) -> str:
        """The path up to the first blank, e.g. ``/reports/`` for ``reports/<slug:slug>/``."""
        plain = self.route.replace("^", "").replace("$", "")
        match = _DYNAMIC.search(plain)
        return "/" + (plain[: match.start()] if match else plain)

    @property
    def is_wagtails(self) -> bool:
        return self.module.startswith("wagtail.")

    def build(self, values: Mapping[str, object] = (), args: tuple = ()) -> str | None:
        """The path with its blanks filled from ``values`` (by keyword) or ``args``; None if
        they do not fit the pattern (or it has no name to reverse and blanks to fill)."""
        values = dict(values)
        if self.name is None:
            if self.params or self.positional:
                return None
            return self.fixed_prefix
        try:
            if self.positional and not self.params:
                return reverse(self.name, args=args)
            return reverse(self.name, kwargs={k: values[k] for k, _kind in self.params})
        except (NoReverseMatch, KeyError):
            return None


def _view_module(callback) -> str:
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return getattr(view, "__module__", "") or ""


def _blanks(pattern) -> tuple[list[tuple[str, str]], int]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return [
            (name, CONVERTER_KINDS.get(type(conv), "str")) for name, conv in converters.items()
        ], 0
    regex = getattr(pattern, "regex", None)
    if regex is None or not regex.groups:
        return [], 0
    named = list(regex.groupindex)
    if named:
        return [(name, "regex") for name in named], 0
    return [], regex.groups


def endpoints(patterns=None, prefix: str = "", namespace: str = "", params=(), positional=0):
    """Every pattern under ``patterns`` (the project's root URLconf by default), depth first,
    in the order Django tries them."""
    return list(_walk(patterns, prefix, namespace, tuple(params), positional))


def _walk(patterns, prefix, namespace, params, positional) -> Iterator[Endpoint]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        named, unnamed = _blanks(entry.pattern)
        route = prefix + str(entry.pattern)
        blanks = params + tuple(named)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner, blanks, positional + unnamed)
        elif isinstance(entry, URLPattern):
            yield Endpoint(
                route=route,
                name=f"{namespace}{entry.name}" if entry.name else None,
                params=blanks,
                positional=positional + unnamed,
                module=_view_module(entry.callback),
            )


def is_under(path: str, prefixes) -> bool:
    return path.startswith(tuple(prefixes))
