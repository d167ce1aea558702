"""A few look-ups in parsed HTML (Django's own parser: the pages are read, not grepped)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.test.html import Element, parse_html


def parse(content: bytes | str) -> Element:
    return parse_html(content.decode() if isinstance(content, bytes) else content)


def attrs(el: Element) -> dict[str, Any]:
    return dict(el.attributes)


def walk(el: Any) -> Iterator[Element]:
    if isinstance(el, Element):
        yield el
        for child in el.children:
            yield from walk(child)


def find_all(root: Element, name: str, **wanted: str) -> list[Element]:
    out = []
    for el in walk(root):
        if el.name != name:
            continue
        a = attrs(el)
        if all((a.get(k.rstrip("_")) or "").split().count(v) or a.get(k.rstrip("_")) == v for k, v in wanted.items()):
            out.append(el)
    return out


def find(root: Element, name: str, **wanted: str) -> Element:
    found = find_all(root, name, **wanted)
    assert found, (name, wanted)
    return found[0]


def text(el: Any) -> str:
    if isinstance(el, str):
        return el.strip()
    return "".join(text(c) for c in el.children).strip()
