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

from collections import defaultdict
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


class Rules:
    """Checks activities one at a time; remembers identifiers to find duplicates (rule 1.1.2)."""

    def __init__(self, today: date | None = None, now: datetime | None = None):
        self.now = now or datetime.now(UTC)
        self.today = today or self.now.date()
        self.seen: set[str] = set()

    def check(self, a: IatiActivity) -> list[Problem]:
        found: list[Problem] = []

        def bad(rule: str, message: str) -> None:
            found.append(Problem(a.identifier, rule, message, a.source_line))

        def in_list(rule: str, codelist: str, value: str, what: str) -> None:
            if value and not codelists.check(codelist, value, allow_withdrawn=False):
                bad(rule, f"{what} {value!r} is not in the IATI {codelist} codelist.")

        # identifiers
        if a.identifier in self.seen:
            bad("1.1.2", "The activity identifier must be unique for each activity.")
        self.seen.add(a.identifier)
        if a.identifier == a.reporting_org.ref:
            bad(
                "1.1.3",
                "The activity identifier must be different to the reporting organisation's identifier.",
            )
        if a.identifier != a.identifier.strip():
            bad("1.1.21", "The activity identifier must not start or end with spaces.")
        # narratives and language (4.1.1, 4.3.1, 4.4.1)
        if not any(text.strip() for _lang, text in a.titles):
            bad("4.3.1", "The title must contain narrative content.")
        for d in a.descriptions:
            if not any(text.strip() for _lang, text in d["narratives"]):
                bad("4.4.1", "The description must contain narrative content.")
        all_narratives = list(a.titles) + [n for d in a.descriptions for n in d["narratives"]]
        if not a.language and any(not lang for lang, _t in all_narratives):
            bad("4.1.1", "The activity must specify a default language, or a language on every narrative.")
        for lang in {a.language} | {lang for lang, _t in all_narratives}:
            in_list("9.95.1", "Language", lang, "The language code")
        # codes
        in_list("9.5.1", "ActivityStatus", a.status, "The activity status")
        in_list("9.3.1", "Currency", a.currency, "The default currency")
        in_list("9.54.1", "OrganisationType", a.reporting_org.type, "The reporting organisation type")
        for p in a.participating_orgs:
            in_list("9.41.1", "OrganisationRole", p.role, "The organisation role")
            in_list("9.42.1", "OrganisationType", p.type, "The organisation type")
            if not p.ref and not any(t.strip() for _l, t in p.narratives):
                bad("6.10.1", "The participating organisation must have an identifier or a narrative.")
        # dates (11.1.x, 6.11.1)
        for type_, _iso in a.dates:
            in_list("9.4.1", "ActivityDateType", type_, "The activity date type")
        ps, pe, as_, ae = (_date(a.date(t)) for t in ("1", "3", "2", "4"))
        if not (ps or as_):
            bad("6.11.1", "The activity must have a planned start date or an actual start date.")
        if ps and pe and ps > pe:
            bad("11.1.2", f"The planned start date ({ps}) must be before the planned end date ({pe}).")
        if as_ and ae and as_ > ae:
            bad("11.1.3", f"The actual start date ({as_}) must be before the actual end date ({ae}).")
        if as_ and as_ > self.today:
            bad("11.1.4", f"The actual start date ({as_}) must not be in the future.")
        if ae and ae > self.today:
            bad("11.1.5", f"The actual end date ({ae}) must not be in the future.")
        if a.last_updated:
            try:
                updated = datetime.fromisoformat(a.last_updated.replace("Z", "+00:00"))
            except ValueError:
                updated = None
            if updated is not None and updated.tzinfo is not None and updated > self.now:
                bad("11.1.1", "The last updated datetime of the activity must not be in the future.")
        # geography (3.1.2, 12.1.x)
        for code, _pct in a.countries:
            in_list("9.50.1", "Country", code, "The recipient country code")
        self._percentages(bad, "recipient-country", [(c, p) for c, p in a.countries], "3.1.2", "12.1.1")
        # sectors (6.2.2, 2.1.x, 12.3.1, codes)
        if not a.sectors:
            bad("6.2.2", "Each activity must have a sector.")
        by_vocabulary: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for s in a.sectors:
            vocabulary = s.get("vocabulary") or "1"
            in_list("9.78.1", "SectorVocabulary", vocabulary, "The sector vocabulary")
            if vocabulary == "1":
                in_list("9.76.1", "Sector", s["code"], "The OECD DAC sector")
            if vocabulary in ("98", "99") and not s.get("narratives"):
                bad(
                    "2.2.1",
                    "A reporting organisation sector code (vocabulary 98 or 99) must include a narrative.",
                )
            by_vocabulary[vocabulary].append((s["code"], s.get("percentage", "")))
        for vocabulary, rows in by_vocabulary.items():
            self._percentages(bad, f"sector (vocabulary {vocabulary})", rows, "2.1.1", "12.3.1")
        # tags (9.79.1, 9.125.1, 9.126.1)
        for t in a.tags:
            in_list("9.79.1", "TagVocabulary", t["vocabulary"], "The tag vocabulary")
            if t["vocabulary"] == "2":
                in_list("9.125.1", "UNSDG-Goals", t["code"], "The SDG goal")
            elif t["vocabulary"] == "3":
                in_list("9.126.1", "UNSDG-Targets", t["code"], "The SDG target")
        # policy markers (6.14.1, 9.47-49)
        for m in a.policy_markers:
            vocabulary = m.get("vocabulary") or "1"
            in_list("9.49.1", "PolicyMarkerVocabulary", vocabulary, "The policy marker vocabulary")
            if vocabulary == "1":
                in_list("9.47.1", "PolicyMarker", m.get("code", ""), "The policy marker")
                if m.get("significance") in (None, ""):
                    bad("6.14.1", "A policy marker of vocabulary 1 must include a significance.")
            in_list(
                "9.48.1", "PolicySignificance", str(m.get("significance") or ""), "The policy significance"
            )
        # budgets (7.5.3, 8.6.3, 7.8.1, 9.7-9.9)
        for b in a.budgets:
            in_list("9.8.1", "BudgetType", b.type, "The budget type")
            in_list("9.7.1", "BudgetStatus", b.status, "The budget status")
            in_list("9.9.1", "Currency", b.currency, "The budget currency")
            if not (b.currency or a.currency):
                bad("7.8.1", "The budget value must have a currency, or the activity a default currency.")
            start, end = _date(b.start), _date(b.end)
            if start and end and start > end:
                bad("8.6.3", f"The budget period start ({start}) must be before its end ({end}).")
            elif start and end and (end - start).days > 366:
                bad("7.5.3", f"The budget period {start} – {end} must not be longer than one year.")
        # transactions (11.2.x, 7.8.1, 9.93.1, 9.94.1, 6.9.x)
        for t in a.transactions:
            in_list("9.93.1", "TransactionType", t.type, "The transaction type")
            in_list("9.94.1", "Currency", t.currency, "The transaction currency")
            if not (t.currency or a.currency):
                bad(
                    "7.8.1", "The transaction value must have a currency, or the activity a default currency."
                )
            when, value_date = _date(t.date), _date(t.value_date)
            if when and when > self.today:
                bad("11.2.1", f"The transaction date ({when}) must not be in the future.")
            if value_date and value_date > self.today:
                bad("11.2.2", f"The transaction value date ({value_date}) must not be in the future.")
            for org, rule, what in ((t.provider, "6.9.1", "provider"), (t.receiver, "6.9.2", "receiver")):
                if org is not None:
                    in_list("9.88.1", "OrganisationType", org.type, f"The {what} organisation type")
                    if not org.ref and not any(x.strip() for _l, x in org.narratives):
                        bad(rule, f"The {what} organisation must have an identifier or a narrative.")
        # documents, related activities, results
        for d in a.document_links:
            for c in d.categories:
                in_list("9.28.1", "DocumentCategory", c, "The document category")
            for lang in d.languages:
                in_list("9.29.1", "Language", lang, "The document language")
        for type_, _ref in a.related:
            if type_ not in {"1", "2", "3", "4", "5"}:
                bad("9.53.1", f"The related activity type {type_!r} is invalid.")
        for r in a.results:
            in_list("9.55.1", "ResultType", r.type, "The result type")
            for i in r.indicators:
                in_list("9.60.1", "IndicatorMeasure", i.measure, "The indicator measure")
                for p in i.periods:
                    start, end = _date(p.start), _date(p.end)
                    if start and end and start > end:
                        bad("8.6.1", f"The indicator period start ({start}) must be before its end ({end}).")
                    for actual in p.actuals:
                        if i.measure in ("1", "2", "3", "4") and actual.value in ("", None):
                            bad(
                                "8.10.1",
                                "The actual must have a value when the indicator measure is not qualitative.",
                            )
        return found

    @staticmethod
    def _percentages(bad, what: str, rows: list[tuple[str, str]], sum_rule: str, range_rule: str) -> None:
        values = []
        for code, text in rows:
            if text in ("", None):
                values.append(None)
                continue
            value = _decimal(text)
            if value is None or value < 0 or value > 100:
                bad(range_rule, f"The {what} percentage of {code} must be between 0 and 100 ({text}).")
            values.append(value)
        if len(rows) == 1:
            if values[0] is not None and values[0] != 100:
                bad(sum_rule, f"A single {what} must have no percentage or 100 ({values[0]}).")
        elif len(rows) > 1:
            if any(v is None for v in values):
                bad(sum_rule, f"With several {what} elements, each must have a percentage.")
            elif sum(values) != 100:
                bad(sum_rule, f"The {what} percentages must add up to 100 (they add up to {sum(values)}).")


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


def validate_file(path: Path | str, folder: str | None = None) -> list[Problem]:
    """Validate an IATI activity file: the whole document against the XSD, then the rules on each activity
    (read with the importer's parser)."""
    from hrtc.opendata.iati.importer import read_activities

    tree = etree.parse(str(path))
    kind = "organisations" if tree.getroot().tag == "iati-organisations" else "activities"
    problems = xsd_problems(tree, kind, folder)
    if kind == "activities":
        rules = Rules()
        for record in read_activities(path):
            problems += rules.check(record)
    return problems
