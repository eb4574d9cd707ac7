"""Validation of IATI 2.03 documents: the official XSD (lxml) and the rules the schema cannot express.

The schemas are byte copies of the official IATI 2.03 XSD files (``hrtc/opendata/data``, see SOURCE.md;
a test checks they are identical to ``../shared/data/iati-2.03/schemas``), so ``hrtc export iati
--validate`` works in an installed hrtc without the shared folder.

The rules are hrtc's own implementation of the IATI Validator's error rules that apply to what hrtc writes
and reads (their IDs are given, e.g. ``11.1.2``; the messages are facts about the standard): dates in
order and not in the future, percentages between 0 and 100 that add up to 100 per vocabulary, codes in
their codelists, required narratives, budget periods of at most one year.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

from hrtc.opendata.iati import codelists
from hrtc.opendata.iati.model import IatiActivity

DATA = codelists.DATA
SCHEMAS = {"activities": "iati-activities-schema.xsd", "organisations": "iati-organisations-schema.xsd"}


@dataclass(frozen=True)
class Problem:
    identifier: str  # the activity (or organisation) identifier
    rule: str  # "xsd" or an IATI Validator rule ID such as "11.1.2"
    message: str
    line: int = 0

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.identifier}{where}: [{self.rule}] {self.message}"


@cache
def schema(kind: str = "activities", folder: str | None = None) -> etree.XMLSchema:
    """The official 2.03 XSD (``folder`` overrides where the schema files are read from)."""
    path = Path(folder or DATA) / SCHEMAS[kind]
    return etree.XMLSchema(etree.parse(str(path)))


def xsd_problems(
    document: etree._ElementTree | etree._Element, kind: str = "activities", folder: str | None = None
) -> list[Problem]:
    """Validate a whole document against the XSD; each error names the activity it is in."""
    xsd = schema(kind, folder)
    if xsd.validate(document):
        return []
    root = document.getroot() if isinstance(document, etree._ElementTree) else document
    by_line = _identifier_lines(root, kind)
    problems = []
    for error in xsd.error_log:
        problems.append(Problem(_identifier_at(by_line, error.line), "xsd", error.message, error.line))
    return problems


def _identifier_lines(root: etree._Element, kind: str) -> list[tuple[int, str]]:
    child, ident = (
        ("iati-activity", "iati-identifier")
        if kind == "activities"
        else ("iati-organisation", "organisation-identifier")
    )
    return [(el.sourceline or 0, (el.findtext(ident) or "?").strip()) for el in root.iterchildren(child)]


def _identifier_at(by_line: list[tuple[int, str]], line: int) -> str:
    found = "(document)"
    for start, identifier in by_line:
        if start <= line:
            found = identifier
    return found


def element_xsd_problems(element: etree._Element, identifier: str, kind: str = "activities") -> list[Problem]:
    """Validate one ``iati-activity`` (or ``iati-organisation``) against the XSD, wrapped in a root element:
    what the streaming export does for each activity before it writes it."""
    root_tag = "iati-activities" if kind == "activities" else "iati-organisations"
    wrapper = etree.Element(root_tag, version="2.03")
    wrapper.append(element)
    xsd = schema(kind)
    try:
        if xsd.validate(wrapper):
            return []
        return [Problem(identifier, "xsd", e.message) for e in xsd.error_log]
    finally:
        wrapper.remove(element)


# Rules beyond the schema ------------------------------------------------------------------------------------


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        return None


@dataclass
class Context:
    """What the rules know beyond one activity: the clock, and the identifiers already seen (1.1.2)."""

    today: date
    now: datetime
    seen: set[str]


Found = Iterator[tuple[str, str]]  # (rule ID, message)


@dataclass(frozen=True)
class Rule:
    """One registered check: the official rule ID(s) it implements and the function that yields its
    problems for an activity."""

    ids: tuple[str, ...]
    check: Callable[[IatiActivity, Context], Found]
    name: str


#: Every rule hrtc checks, in registration order. A rule is covered (``coverage()``) only with a test
#: fixture that violates it and one that passes (tests/opendata/test_iati_rules.py).
RULES: list[Rule] = []


def rule(*ids: str):
    """Register a check of the official rules `ids`: a function (activity, context) → (ID, message) pairs."""

    def register(check: Callable[[IatiActivity, Context], Found]):
        RULES.append(Rule(ids, check, check.__name__))
        return check

    return register


def rule_ids() -> set[str]:
    return {rule_id for r in RULES for rule_id in r.ids}


# Codes in their codelists: (rule ID, codelist, what, the activity's values) -----------------------------

CODES: list[tuple[str, str, str, Callable[[IatiActivity], Iterable[str]]]] = [
    (
        "9.95.1",
        "Language",
        "The language code",
        lambda a: sorted({a.language} | {x for x, _ in _narratives(a)}),
    ),
    ("9.5.1", "ActivityStatus", "The activity status", lambda a: [a.status]),
    ("9.3.1", "Currency", "The default currency", lambda a: [a.currency]),
    ("9.54.1", "OrganisationType", "The reporting organisation type", lambda a: [a.reporting_org.type]),
    ("9.41.1", "OrganisationRole", "The organisation role", lambda a: [p.role for p in a.participating_orgs]),
    ("9.42.1", "OrganisationType", "The organisation type", lambda a: [p.type for p in a.participating_orgs]),
    ("9.4.1", "ActivityDateType", "The activity date type", lambda a: [t for t, _ in a.dates]),
    ("9.50.1", "Country", "The recipient country code", lambda a: [c for c, _ in a.countries]),
    ("9.78.1", "SectorVocabulary", "The sector vocabulary", lambda a: [_vocabulary(s) for s in a.sectors]),
    (
        "9.76.1",
        "Sector",
        "The OECD DAC sector",
        lambda a: [s["code"] for s in a.sectors if _vocabulary(s) == "1"],
    ),
    ("9.79.1", "TagVocabulary", "The tag vocabulary", lambda a: [t["vocabulary"] for t in a.tags]),
    (
        "9.125.1",
        "UNSDG-Goals",
        "The SDG goal",
        lambda a: [t["code"] for t in a.tags if t["vocabulary"] == "2"],
    ),
    (
        "9.126.1",
        "UNSDG-Targets",
        "The SDG target",
        lambda a: [t["code"] for t in a.tags if t["vocabulary"] == "3"],
    ),
    (
        "9.49.1",
        "PolicyMarkerVocabulary",
        "The policy marker vocabulary",
        lambda a: [_vocabulary(m) for m in a.policy_markers],
    ),
    (
        "9.47.1",
        "PolicyMarker",
        "The policy marker",
        lambda a: [m.get("code", "") for m in a.policy_markers if _vocabulary(m) == "1"],
    ),
    (
        "9.48.1",
        "PolicySignificance",
        "The policy significance",
        lambda a: [str(m.get("significance") or "") for m in a.policy_markers],
    ),
    ("9.8.1", "BudgetType", "The budget type", lambda a: [b.type for b in a.budgets]),
    ("9.7.1", "BudgetStatus", "The budget status", lambda a: [b.status for b in a.budgets]),
    ("9.9.1", "Currency", "The budget currency", lambda a: [b.currency for b in a.budgets]),
    ("9.93.1", "TransactionType", "The transaction type", lambda a: [t.type for t in a.transactions]),
    ("9.94.1", "Currency", "The transaction currency", lambda a: [t.currency for t in a.transactions]),
    (
        "9.88.1",
        "OrganisationType",
        "The transaction organisation type",
        lambda a: [o.type for t in a.transactions for o in (t.provider, t.receiver) if o is not None],
    ),
    (
        "9.28.1",
        "DocumentCategory",
        "The document category",
        lambda a: [c for d in a.document_links for c in d.categories],
    ),
    (
        "9.29.1",
        "Language",
        "The document language",
        lambda a: [x for d in a.document_links for x in d.languages],
    ),
    ("9.55.1", "ResultType", "The result type", lambda a: [r.type for r in a.results]),
    (
        "9.60.1",
        "IndicatorMeasure",
        "The indicator measure",
        lambda a: [i.measure for r in a.results for i in r.indicators],
    ),
]


def _narratives(a: IatiActivity) -> list:
    return list(a.titles) + [n for d in a.descriptions for n in d["narratives"]]


def _vocabulary(item: dict) -> str:
    return item.get("vocabulary") or "1"


def _codelist_rule(rule_id: str, codelist: str, what: str, values: Callable[[IatiActivity], Iterable[str]]):
    def check(a: IatiActivity, context: Context) -> Found:
        for value in values(a):
            if value and not codelists.check(codelist, value, allow_withdrawn=False):
                yield rule_id, f"{what} {value!r} is not in the IATI {codelist} codelist."

    check.__name__ = f"in_{codelist}_{rule_id}"
    rule(rule_id)(check)


for _row in CODES:
    _codelist_rule(*_row)


# Identifiers -----------------------------------------------------------------------------------------------


@rule("1.1.2")
def unique_identifier(a: IatiActivity, context: Context) -> Found:
    if a.identifier in context.seen:
        yield "1.1.2", "The activity identifier must be unique for each activity."
    context.seen.add(a.identifier)


@rule("1.1.3")
def identifier_is_not_the_reporter(a: IatiActivity, context: Context) -> Found:
    if a.identifier == a.reporting_org.ref:
        yield "1.1.3", "The activity identifier must be different to the reporting organisation's identifier."


#: Identifiers that must not start or end with spaces or newlines: (rule ID, what, the activity's values)
TRIMMED: list[tuple[str, str, Callable[[IatiActivity], Iterable[str]]]] = [
    ("1.3.1", "activity identifier", lambda a: [a.identifier]),
    ("1.14.1", "reporting organisation identifier", lambda a: [a.reporting_org.ref]),
    ("1.8.1", "participating organisation identifier", lambda a: [p.ref for p in a.participating_orgs]),
    (
        "1.10.1",
        "provider organisation identifier",
        lambda a: [t.provider.ref for t in a.transactions if t.provider],
    ),
    (
        "1.15.1",
        "receiver organisation identifier",
        lambda a: [t.receiver.ref for t in a.transactions if t.receiver],
    ),
    ("1.7.1", "related activity identifier", lambda a: [ref for _type, ref in a.related]),
]


@rule(*(rule_id for rule_id, _what, _values in TRIMMED))
def identifiers_trimmed(a: IatiActivity, context: Context) -> Found:
    for rule_id, what, values in TRIMMED:
        for value in values(a):
            if value and value != value.strip():
                yield rule_id, f"The {what} {value!r} must not start or end with spaces or newlines."


# Narratives and language -------------------------------------------------------------------------------------


@rule("4.3.1")
def title_has_text(a: IatiActivity, context: Context) -> Found:
    if not any(text.strip() for _lang, text in a.titles):
        yield "4.3.1", "The title must contain narrative content."


@rule("4.4.1")
def descriptions_have_text(a: IatiActivity, context: Context) -> Found:
    for d in a.descriptions:
        if not any(text.strip() for _lang, text in d["narratives"]):
            yield "4.4.1", "The description must contain narrative content."


@rule("4.1.1")
def language_known(a: IatiActivity, context: Context) -> Found:
    if not a.language and any(not lang for lang, _t in _narratives(a)):
        yield "4.1.1", "The activity must specify a default language, or a language on every narrative."


# Organisations -------------------------------------------------------------------------------------------------


@rule("6.10.1")
def participating_org_named(a: IatiActivity, context: Context) -> Found:
    for p in a.participating_orgs:
        if not p.ref and not any(t.strip() for _l, t in p.narratives):
            yield "6.10.1", "The participating organisation must have an identifier or a narrative."


@rule("6.9.1", "6.9.2")
def transaction_orgs_named(a: IatiActivity, context: Context) -> Found:
    for t in a.transactions:
        for org, rule_id, what in ((t.provider, "6.9.1", "provider"), (t.receiver, "6.9.2", "receiver")):
            if org is not None and not org.ref and not any(x.strip() for _l, x in org.narratives):
                yield rule_id, f"The {what} organisation must have an identifier or a narrative."


# Dates ---------------------------------------------------------------------------------------------------------


@rule("6.11.1", "11.1.2", "11.1.3", "11.1.4", "11.1.5")
def activity_dates(a: IatiActivity, context: Context) -> Found:
    ps, pe, as_, ae = (_date(a.date(t)) for t in ("1", "3", "2", "4"))
    if not (ps or as_):
        yield "6.11.1", "The activity must have a planned start date or an actual start date."
    if ps and pe and ps > pe:
        yield "11.1.2", f"The planned start date ({ps}) must be before the planned end date ({pe})."
    if as_ and ae and as_ > ae:
        yield "11.1.3", f"The actual start date ({as_}) must be before the actual end date ({ae})."
    if as_ and as_ > context.today:
        yield "11.1.4", f"The actual start date ({as_}) must not be in the future."
    if ae and ae > context.today:
        yield "11.1.5", f"The actual end date ({ae}) must not be in the future."


@rule("11.1.1")
def last_updated_not_in_future(a: IatiActivity, context: Context) -> Found:
    if not a.last_updated:
        return
    try:
        updated = datetime.fromisoformat(a.last_updated.replace("Z", "+00:00"))
    except ValueError:
        return
    if updated.tzinfo is not None and updated > context.now:
        yield "11.1.1", "The last updated datetime of the activity must not be in the future."


# Geography and sectors ---------------------------------------------------------------------------------------


@rule("3.1.2", "12.1.1")
def country_percentages(a: IatiActivity, context: Context) -> Found:
    yield from _percentages("recipient-country", [(c, p) for c, p in a.countries], "3.1.2", "12.1.1")


@rule("6.2.2")
def has_a_sector(a: IatiActivity, context: Context) -> Found:
    if not a.sectors:
        yield "6.2.2", "Each activity must have a sector."


@rule("2.2.1")
def own_sector_codes_named(a: IatiActivity, context: Context) -> Found:
    for s in a.sectors:
        if _vocabulary(s) in ("98", "99") and not s.get("narratives"):
            yield (
                "2.2.1",
                "A reporting organisation sector code (vocabulary 98 or 99) must include a narrative.",
            )


@rule("2.1.1", "12.3.1")
def sector_percentages(a: IatiActivity, context: Context) -> Found:
    by_vocabulary: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in a.sectors:
        by_vocabulary[_vocabulary(s)].append((s["code"], s.get("percentage", "")))
    for vocabulary, rows in by_vocabulary.items():
        yield from _percentages(f"sector (vocabulary {vocabulary})", rows, "2.1.1", "12.3.1")


@rule("6.14.1")
def gender_marker_significance(a: IatiActivity, context: Context) -> Found:
    for m in a.policy_markers:
        if _vocabulary(m) == "1" and m.get("significance") in (None, ""):
            yield "6.14.1", "A policy marker of vocabulary 1 must include a significance."


# Money ---------------------------------------------------------------------------------------------------------


@rule("7.8.1")
def values_have_a_currency(a: IatiActivity, context: Context) -> Found:
    if a.currency:
        return
    for b in a.budgets:
        if not b.currency:
            yield "7.8.1", "The budget value must have a currency, or the activity a default currency."
    for t in a.transactions:
        if not t.currency:
            yield "7.8.1", "The transaction value must have a currency, or the activity a default currency."


@rule("8.6.3", "7.5.3")
def budget_periods(a: IatiActivity, context: Context) -> Found:
    for b in a.budgets:
        start, end = _date(b.start), _date(b.end)
        if start and end and start > end:
            yield "8.6.3", f"The budget period start ({start}) must be before its end ({end})."
        elif start and end and (end - start).days > 366:
            yield "7.5.3", f"The budget period {start} – {end} must not be longer than one year."


@rule("11.2.1", "11.2.2")
def transactions_not_in_future(a: IatiActivity, context: Context) -> Found:
    for t in a.transactions:
        when, value_date = _date(t.date), _date(t.value_date)
        if when and when > context.today:
            yield "11.2.1", f"The transaction date ({when}) must not be in the future."
        if value_date and value_date > context.today:
            yield "11.2.2", f"The transaction value date ({value_date}) must not be in the future."


# Related activities and results ------------------------------------------------------------------------------


@rule("9.53.1")
def related_activity_types(a: IatiActivity, context: Context) -> Found:
    for type_, _ref in a.related:
        if type_ not in {"1", "2", "3", "4", "5"}:
            yield "9.53.1", f"The related activity type {type_!r} is invalid."


@rule("8.6.1", "8.10.1")
def indicator_periods(a: IatiActivity, context: Context) -> Found:
    for r in a.results:
        for i in r.indicators:
            for p in i.periods:
                start, end = _date(p.start), _date(p.end)
                if start and end and start > end:
                    yield "8.6.1", f"The indicator period start ({start}) must be before its end ({end})."
                for actual in p.actuals:
                    if i.measure in ("1", "2", "3", "4") and actual.value in ("", None):
                        yield (
                            "8.10.1",
                            "The actual must have a value when the indicator measure is not qualitative.",
                        )


def _percentages(what: str, rows: list[tuple[str, str]], sum_rule: str, range_rule: str) -> Found:
    values = []
    for code, text in rows:
        if text in ("", None):
            values.append(None)
            continue
        value = _decimal(text)
        if value is None or value < 0 or value > 100:
            yield range_rule, f"The {what} percentage of {code} must be between 0 and 100 ({text})."
        values.append(value)
    if len(rows) == 1:
        if values[0] is not None and values[0] != 100:
            yield sum_rule, f"A single {what} must have no percentage or 100 ({values[0]})."
    elif len(rows) > 1:
        if any(v is None for v in values):
            yield sum_rule, f"With several {what} elements, each must have a percentage."
        elif sum(v for v in values if v is not None) != 100:
            total = sum(v for v in values if v is not None)
            yield sum_rule, f"The {what} percentages must add up to 100 (they add up to {total})."


class Rules:
    """Checks activities one at a time with every registered rule; remembers identifiers (rule 1.1.2)."""

    def __init__(self, today: date | None = None, now: datetime | None = None):
        now = now or datetime.now(UTC)
        self.context = Context(today=today or now.date(), now=now, seen=set())

    def check(self, a: IatiActivity) -> list[Problem]:
        return [
            Problem(a.identifier, rule_id, message, a.source_line)
            for registered in RULES
            for rule_id, message in registered.check(a, self.context)
        ]


def official_rules(shared: Path | None = None) -> dict[str, str] | None:
    """The IATI Validator's rule list (ID → severity) from ../shared/data, or None where it is not beside
    hrtc (an installed hrtc does not ship it: the file is the validator's, under its own licence)."""
    from django.conf import settings

    folder = shared or Path(
        getattr(settings, "HRTC_SHARED_DATA", "") or Path.cwd().parent / "shared" / "data"
    )
    path = folder / "iati-2.03" / "validator-rules" / "data-quality-rules.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["ID"]: row["Severity"] for row in csv.DictReader(handle) if row.get("ID")}


def coverage(shared: Path | None = None) -> str:
    """hrtc's rules against the official list, as a line `hrtc export iati --validate` prints."""
    official = official_rules(shared)
    ours = rule_ids()
    if official is None:
        return f"IATI rules: {len(ours)} checked (the official rule list is not beside hrtc to compare)"
    covered = ours & official.keys()
    errors = {rid for rid, severity in official.items() if severity in ("Error", "Critical")}
    return (
        f"IATI rules: {len(covered)} of the {len(official)} official rules checked "
        f"({len(covered & errors)} of {len(errors)} errors)"
        + (
            f"; not in the official list: {', '.join(sorted(ours - official.keys()))}"
            if ours - official.keys()
            else ""
        )
    )


class Refused(Exception):
    """An export that must not be published: names each activity and rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems[:50]]
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__("\n".join(lines) + more)


class StreamingValidator:
    """Validates each activity as the streaming writer builds it: hrtc's rules, then the XSD on the element.
    Collects every problem (so one run reports them all)."""

    def __init__(self, today: date | None = None):
        self.rules = Rules(today=today)
        self.problems: list[Problem] = []
        self.checked = 0

    def __call__(self, record: IatiActivity, element: etree._Element) -> None:
        self.checked += 1
        self.problems += self.rules.check(record)
        self.problems += element_xsd_problems(element, record.identifier)
