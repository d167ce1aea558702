"""What the keyword search of postings looks at."""

from __future__ import annotations

from collections.abc import Iterable

from xiangtan_jobs.common.text import normalize_text
from xiangtan_jobs.core.models import Skill


def posting_search_text(*, title: str, employer_name: str, skills: Iterable[Skill]) -> str:
    """Title, employer and every skill's name and aliases, normalised, in one string.

    Searching for 护工 finds a 养老护理员 posting because the skill's aliases are in here.
    """
    parts = [title, employer_name]
    for skill in skills:
        parts.append(skill.name)
        parts.extend(skill.aliases)
    return normalize_text(" ".join(parts))
