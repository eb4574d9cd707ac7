"""UPR Info database export (CSV or XLSX): UPR recommendations and voluntary pledges.

Columns (the export UPR Info's "Database of UPR Recommendations & Voluntary Pledges" produced around
2014, as kept in the `rochelleterman/uprs` repository; see shared/data/upr-info-sessions-1-17/SOURCE.md):

    To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session

One row per pair of recommendation and recommending State, so a joint recommendation comes once per
co-sponsor; this parser keeps that (one record per row). `Response` is `Accepted` (→ supported),
`Noted` (→ noted) or `Voluntary Pledge` (→ a `PledgeRecord` for the State `To`). `Action` is UPR Info's
action category 1–5. `Issue` holds UPR Info's issue labels separated by commas with no space after
them; no label in the 2008–2013 data contains a comma, but a comma followed by a space is kept inside a
label, so a label such as "Asylum-seekers, refugees" would survive (see `split_issues`). The regional
group and organisation columns are not imported. A `From` of `&#40;Unknown&#41;` (9 rows of session 1,
Indonesia) gives no recommending State rather than a State called "(Unknown)".

Only this column set is accepted. UPR Info's later database exports may name the columns differently,
but no documentation of them could be found, so no other names are guessed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hrtc.core.tabular import Table, clean, dedupe, norm_key
from hrtc.recommendations.importers.records import PledgeRecord, RecommendationRecord, upr_cycle

FORMAT = "uprinfo"
LABEL = "UPR Info database export (CSV/XLSX: To, Text, From, Response, Action, Issue, Session)"

COLUMNS = [
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]
REQUIRED = ["To", "Text", "From", "Response", "Session"]
RESPONSES = {"accepted": "supported", "noted": "noted"}
UNKNOWN_STATE = "(unknown)"  # `&#40;Unknown&#41;` in From: the recommending State is not known
PLEDGE = "voluntary pledge"

_ISSUE_SEPARATOR = re.compile(r",(?!\s)")  # a comma not followed by a space separates two labels


def sniff(path: Path, header: list[str] | None) -> bool:
    if not header:
        return False
    keys = {norm_key(name) for name in header}
    return {norm_key(name) for name in REQUIRED} <= keys


def split_issues(value: str) -> list[str]:
    """UPR Info issue labels: split on commas that are not followed by a space."""
    return dedupe(label for label in (clean(part) for part in _ISSUE_SEPARATOR.split(value or "")) if label)


def parse(path: Path) -> Iterator[RecommendationRecord | PledgeRecord]:
    path = Path(path)
    with Table(path) as table:
        table.require_columns(REQUIRED)
        for row in table:
            state = row.required("To")
            text = row.required("Text")
            response = row.required("Response")
            session = row.int("Session", required=True, low=1)
            action = row.int("Action", low=1, high=5)
            recommender = row.required("From")
            themes = ["uprinfo:" + label for label in split_issues(row.raw("Issue"))]
            kind = response.casefold()
            if kind == PLEDGE:
                yield PledgeRecord(
                    row=row.number,
                    text=text,
                    state=state,
                    session=session,
                    cycle=upr_cycle(session),
                    themes=themes,
                )
                continue
            if kind not in RESPONSES:
                raise row.error(
                    "Response", f"unknown response {response!r}; expected Accepted, Noted or Voluntary Pledge"
                )
            yield RecommendationRecord(
                row=row.number,
                text=text,
                state_under_review=state,
                mechanism="UPR",
                recommending_states=[] if recommender.casefold() == UNKNOWN_STATE else [recommender],
                session=session,
                cycle=upr_cycle(session),
                response=RESPONSES[kind],
                themes=themes,
                action_category=action,
            )
