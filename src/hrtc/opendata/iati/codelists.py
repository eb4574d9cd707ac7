"""The IATI codelists hrtc uses, read from unmodified copies in ``hrtc/opendata/data`` (see SOURCE.md there).

Codes written into an export or checked on import come from here, never typed by hand: ``code("Sector",
"15160")`` raises when a code is not in its list, ``check(...)`` says whether it is. Withdrawn items are
known (so an old file can be read) but refused for new data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parent.parent / "data"

#: Codelists copied into DATA (file stem = codelist name).
NAMES = (
    "ActivityDateType",
    "ActivityStatus",
    "BudgetStatus",
    "BudgetType",
    "Country",
    "Currency",
    "DocumentCategory",
    "IndicatorMeasure",
    "Language",
    "OrganisationRole",
    "OrganisationType",
    "PolicyMarker",
    "PolicyMarkerVocabulary",
    "PolicySignificance",
    "ResultType",
    "Sector",
    "SectorVocabulary",
    "TagVocabulary",
    "TransactionType",
    "UNSDG-Goals",
    "UNSDG-Targets",
)


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    withdrawn: bool


class UnknownCode(ValueError):
    pass


@cache
def items(name: str) -> dict[str, Item]:
    if name not in NAMES:
        raise LookupError(f"Codelist {name!r} is not shipped with hrtc (see hrtc/opendata/data/SOURCE.md).")
    tree = etree.parse(str(DATA / f"{name}.xml"))
    found = {}
    for item in tree.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        found[code] = Item(
            code, (item.findtext("name/narrative") or "").strip(), item.get("status") == "withdrawn"
        )
    return found


def check(name: str, value: str, *, allow_withdrawn: bool = False) -> bool:
    item = items(name).get(str(value))
    return item is not None and (allow_withdrawn or not item.withdrawn)


def code(name: str, value: object) -> str:
    """``value`` as a code of the codelist ``name``; raises UnknownCode if it is not an active code."""
    text = str(value)
    if not check(name, text):
        raise UnknownCode(f"{text!r} is not an active code of the IATI {name} codelist.")
    return text


def label(name: str, value: str) -> str:
    item = items(name).get(str(value))
    return item.name if item else ""


def by_name(name: str, wanted: str) -> str:
    """The code whose English name is ``wanted`` (e.g. ``by_name("TagVocabulary", ...)``)."""
    for item in items(name).values():
        if item.name.lower() == wanted.lower() and not item.withdrawn:
            return item.code
    raise UnknownCode(f"No item named {wanted!r} in the IATI {name} codelist.")
