"""Random edits of a synthetic market, applied in place: what the incremental == full tests replay."""

from __future__ import annotations

import dataclasses

import numpy as np

from matching.engine.synthetic import Market, make_postings, make_seekers
from matching.engine.types import PostingIn, SeekerIn


def random_edit(
    rng: np.random.Generator,
    m: Market,
    postings: dict[int, PostingIn],
    seekers: dict[int, SeekerIn],
    next_id: int,
) -> tuple[str, int, PostingIn | SeekerIn | None]:
    """One edit, applied to ``postings`` or ``seekers``: ("posting" | "seeker", its id, the new value or
    None when it was closed or withdrawn). New postings, edits (new content, another headcount, or the
    same job a little further or nearer, paying a little more or less: the same seekers with new
    scores), closures; new, moved, re-skilled and withdrawn seekers, and new travel ranges."""
    op = int(rng.integers(7))
    fresh_p = make_postings(rng, 1, m.skills, m.certified_skills, start_id=next_id)[0]
    fresh_s = make_seekers(rng, 1, m.skills, m.certified_skills, start_id=next_id)[0]
    if op <= 2:
        new_p: PostingIn | None
        if op == 0:
            pid, new_p = next_id, fresh_p
        elif op == 1:
            pid = int(rng.choice(list(postings)))
            old, roll = postings[pid], rng.random()
            if roll < 0.4:
                new_p = dataclasses.replace(fresh_p, id=pid)
            elif roll < 0.6:
                new_p = dataclasses.replace(old, headcount=int(rng.integers(1, 4)))
            else:
                new_p = dataclasses.replace(
                    old,
                    lat=old.lat + float(rng.normal(0, 0.01)),
                    wage_max=max(old.wage_min, old.wage_max * float(rng.uniform(0.8, 1.2))),
                )
        else:
            pid, new_p = int(rng.choice(list(postings))), None
        if new_p is None:
            postings.pop(pid)
        else:
            postings[pid] = new_p
        return "posting", pid, new_p
    new_s: SeekerIn | None
    if op == 3:
        sid, new_s = next_id, fresh_s
    elif op in (4, 5):
        sid = int(rng.choice(list(seekers)))
        new_s = (
            dataclasses.replace(fresh_s, id=sid)
            if op == 4
            else dataclasses.replace(seekers[sid], travel_km=float(rng.choice([3.0, 8.0, 20.0])))
        )
    else:
        sid, new_s = int(rng.choice(list(seekers))), None
    if new_s is None:
        seekers.pop(sid)
    else:
        seekers[sid] = new_s
    return "seeker", sid, new_s
