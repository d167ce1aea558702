"""A small query helper over Django's own HTML parser (django.test.html): find elements by tag,
class and attributes, and read their text, so tests check what a person sees."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.test.html import Element, parse_html


class Node:
    def __init__(self, el: Element) -> None:
        self.el = el

    @property
    def attrs(self) -> dict[str, str]:
        return {k: (v or "") for k, v in self.el.attributes}

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.attrs.get(name, default)

    def _walk(self) -> Iterator[Element]:
        for child in self.el.children:
            if isinstance(child, Element):
                yield child
                yield from Node(child)._walk()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> list[Node]:
        out = []
        for el in self._walk():
            node = Node(el)
            if tag and el.name != tag:
                continue
            if class_ and class_ not in node.get("class", "").split():
                continue
            if any(node.get(k.rstrip("_")) != v for k, v in attrs.items()):
                continue
            out.append(node)
        return out

    def find(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, class_, **attrs)
        return found[0] if found else None

    def text(self) -> str:
        parts: list[str] = []

        def walk(el: Element) -> None:
            for child in el.children:
                if isinstance(child, Element):
                    walk(child)
                else:
                    parts.append(str(child))

        walk(self.el)
        return " ".join(" ".join(parts).split())


def page(response: Any, status: int = 200) -> Node:
    assert response.status_code == status, response.status_code
    root = parse_html(response.content.decode())
    return Node(root if isinstance(root, Element) else Element("root", []))


def messages_of(response: Any) -> list[str]:
    return [li.text() for ul in page(response).find_all("ul", class_="messages") for li in ul.find_all("li")]
