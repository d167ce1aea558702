"""Text helpers for Chinese keyword search."""

from __future__ import annotations

import re
import unicodedata

_SPLIT = re.compile(r"[^\w]+", re.UNICODE)


def normalize_text(text: str) -> str:
    """Fold full-width forms (ＡＢＣ１２３) and case, and drop zero-width characters."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u200b", "").replace("\u200c", "").replace("\u200d", "").replace("\ufeff", "")
    return text.lower()


def text_pieces(text: str) -> list[str]:
    """The overlapping two-character pieces of each word, plus the single characters.

    Most Chinese job words are two characters (保洁, 司机); PostgreSQL indexes these pieces in a
    GIN index, and a query is the AND of its own pieces followed by a substring check (docs/architecture.md).
    """
    pieces: set[str] = set()
    for word in _SPLIT.split(normalize_text(text)):
        if not word:
            continue
        pieces.update(word)
        pieces.update(word[i : i + 2] for i in range(len(word) - 1))
    return sorted(pieces)
