"""One IATI activity as plain data: what the writer writes and the importer reads.

Values are kept as the strings that go into the XML (codes, ISO dates, decimals), so writing what was
read gives the same document. Narratives are ``[lang, text]`` pairs in document order; ``""`` is the
document's default language (no ``xml:lang``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

Narratives = list[list[str]]  # [[lang, text], ...]


def decimal_text(value: Decimal | int | str) -> str:
    """A decimal as the shortest exact text: 100, 33.33, 0.5 (never 1E+2)."""
    number = Decimal(str(value))
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def money_text(value: Decimal | int | str) -> str:
    return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")


@dataclass
class Org:
    ref: str = ""
    type: str = ""
    narratives: Narratives = field(default_factory=list)
    role: str = ""  # participating-org only
    activity_id: str = ""  # participating-org/@activity-id, provider-activity-id, receiver-activity-id

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict | None) -> Org | None:
        return cls(**data) if data else None


@dataclass
class Budget:
    type: str
    status: str
    start: str
    end: str
    value: str
    currency: str
    value_date: str


@dataclass
class Transaction:
    type: str
    date: str
    value: str
    currency: str
    value_date: str
    ref: str = ""
    descriptions: Narratives = field(default_factory=list)
    provider: Org | None = None
    receiver: Org | None = None


@dataclass
class DocumentLink:
    url: str
    format: str
    titles: Narratives
    categories: list[str]
    languages: list[str] = field(default_factory=list)
    date: str = ""


@dataclass
class Actual:
    value: str
    dimensions: list[list[str]] = field(default_factory=list)  # [[name, value], ...]


@dataclass
class Period:
    start: str
    end: str
    actuals: list[Actual] = field(default_factory=list)


@dataclass
class Indicator:
    measure: str
    titles: Narratives
    ascending: str = ""
    descriptions: Narratives = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)


@dataclass
class Result:
    type: str
    titles: Narratives
    descriptions: Narratives = field(default_factory=list)
    aggregation_status: str = ""
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class IatiActivity:
    identifier: str
    reporting_org: Org
    titles: Narratives
    descriptions: list[dict]  # [{"type": "1", "narratives": [[lang, text], ...]}]
    participating_orgs: list[Org]
    status: str
    dates: list[list[str]]  # [[type, iso date], ...]
    language: str = ""
    currency: str = ""
    last_updated: str = ""  # xsd:dateTime text
    humanitarian: str = ""  # "", "0" or "1"
    secondary_reporter: str = ""
    countries: list[list[str]] = field(default_factory=list)  # [[alpha-2, percentage or ""], ...]
    sectors: list[dict] = field(default_factory=list)  # [{vocabulary, code, percentage, narratives}]
    tags: list[dict] = field(default_factory=list)  # [{vocabulary, code, vocabulary_uri, narratives}]
    policy_markers: list[dict] = field(default_factory=list)  # [{vocabulary, code, significance, narratives}]
    budgets: list[Budget] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    document_links: list[DocumentLink] = field(default_factory=list)
    related: list[list[str]] = field(default_factory=list)  # [[type, ref], ...]
    results: list[Result] = field(default_factory=list)
    source_line: int = 0  # where an imported activity began in its file

    def date(self, type_: str) -> str:
        return next((d for t, d in self.dates if t == type_), "")


def results_to_json(results: list[Result]) -> list[dict]:
    return [asdict(r) for r in results]


def results_from_json(data: list[dict]) -> list[Result]:
    out = []
    for r in data:
        indicators = []
        for i in r.get("indicators", []):
            periods = [
                Period(
                    p["start"],
                    p["end"],
                    [Actual(a["value"], a.get("dimensions", [])) for a in p.get("actuals", [])],
                )
                for p in i.get("periods", [])
            ]
            indicators.append(
                Indicator(
                    i["measure"], i["titles"], i.get("ascending", ""), i.get("descriptions", []), periods
                )
            )
        out.append(
            Result(
                r["type"], r["titles"], r.get("descriptions", []), r.get("aggregation_status", ""), indicators
            )
        )
    return out
