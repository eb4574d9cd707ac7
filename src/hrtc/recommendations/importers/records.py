"""What every recommendation importer yields: plain records, independent of the database.

A parser reads one file format and yields `RecommendationRecord`s (or `PledgeRecord`s) one at a time
(streaming: memory stays flat in the file size). It never touches the database. Names of States,
themes and groups are kept as written in the file; `hrtc.recommendations.services` resolves them
and refuses the whole import with an `ImportRowError` if one cannot be resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class RecommendationRecord:
    row: int  # row number in the file (header = 1), for error messages
    text: str
    state_under_review: str  # a State name or ISO code as written in the file
    mechanism: str  # "UPR", a treaty-body code ("CEDAW"), or "SP" / a mandate name
    recommending_states: list[str] = field(default_factory=list)  # names as written
    recommending_body: str = ""  # a non-State recommender, e.g. a special-procedure mandate
    cycle: int | None = None
    session: int | None = None
    date: date | None = None
    document_symbol: str = ""  # e.g. A/HRC/43/15
    paragraph: str = ""  # e.g. 140.7
    response: str = ""  # supported / noted / pending / not_applicable / "" (unknown)
    response_source: str = ""  # e.g. A/HRC/43/15/Add.1 - Para.3
    themes: list[str] = field(default_factory=list)  # "vocabulary:code" keys or theme names as written
    affected_groups: list[str] = field(default_factory=list)  # names as written
    sdg_goals: list[str] = field(default_factory=list)  # "5", "16"
    sdg_targets: list[str] = field(default_factory=list)  # "5.2"
    action_category: int | None = None  # UPR Info action category 1-5
    language: str = "en"
    external_id: str = ""  # an id the source gives the record, if any


@dataclass
class PledgeRecord:
    row: int
    text: str
    state: str
    session: int | None = None
    cycle: int | None = None
    date: date | None = None
    themes: list[str] = field(default_factory=list)
    language: str = "en"
    external_id: str = ""


# UPR facts shared by several formats


def upr_cycle(session: int | None) -> int | None:
    """The UPR cycle of a Working Group session: 1–12 → 1, 13–26 → 2, 27–40 → 3, 41–54 → 4.

    Sessions after 54 get None: the next cycle's session range is not fixed here.
    """
    if session is None or session < 1:
        return None
    if session <= 12:
        return 1
    if session <= 54:
        return (session - 13) // 14 + 2
    return None
