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


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_PINYIN_QUERY = re.compile(r"[a-z]{2,30}")


def cjk_runs(text: str) -> list[str]:
    """The runs of Chinese characters in a text: 「家庭保洁（日结）」 -> ["家庭保洁", "日结"]."""
    return _CJK_RUN.findall(text or "")


def pinyin_keys(term: str) -> tuple[str, str]:
    """A Chinese term's pinyin without tones and its initials: 保洁 -> ("baojie", "bj").

    pypinyin's phrase dictionary picks the reading of a character in its word (重 in 重活 is
    zhong), which is what a seeker types; characters it does not know are left out."""
    from pypinyin import Style, lazy_pinyin

    syllables = [s for s in lazy_pinyin(term, style=Style.NORMAL, errors="ignore") if s.isascii() and s.isalpha()]
    return "".join(syllables).lower(), "".join(s[0] for s in syllables).lower()


def looks_like_pinyin(word: str) -> bool:
    """Whether a (normalised) query word could be pinyin or initials: two or more Latin letters."""
    return bool(_PINYIN_QUERY.fullmatch(word))
