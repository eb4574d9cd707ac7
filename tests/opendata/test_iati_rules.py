"""Every IATI rule hrtc registers (`hrtc.opendata.iati.validate.RULES`) has a fixture that violates it and
is flagged with that rule's ID, and passes on a valid activity: a rule without both is not counted as
covered. The official list the coverage is measured against is ../shared/data's copy of the IATI
Validator's rules."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from hrtc.opendata.iati import validate
from hrtc.opendata.iati.model import (
    Actual,
    Budget,
    DocumentLink,
    IatiActivity,
    Indicator,
    Org,
    Period,
    Result,
    Transaction,
)
from tests.shared_data import SHARED_DATA, needs_shared

TODAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def valid() -> IatiActivity:
    """An activity every rule passes: the codes are real codelist entries, the dates in order and past."""
    return IatiActivity(
        identifier="XM-DAC-41313-KEN-1",
        reporting_org=Org(ref="XM-DAC-41313", type="40", narratives=[["", "OHCHR"]]),
        titles=[["", "Training of prison officers"]],
        descriptions=[{"type": "1", "narratives": [["", "Workshops on the Nelson Mandela Rules."]]}],
        participating_orgs=[Org(ref="XM-DAC-41313", type="40", role="4", narratives=[["", "OHCHR"]])],
        status="2",
        dates=[["1", "2025-01-01"], ["3", "2025-12-31"], ["2", "2025-01-15"], ["4", "2025-12-15"]],
        language="en",
        currency="USD",
        last_updated="2026-06-01T10:00:00Z",
        countries=[["KE", ""]],
        sectors=[{"vocabulary": "1", "code": "15160", "percentage": "", "narratives": []}],
        tags=[{"vocabulary": "2", "code": "16"}, {"vocabulary": "3", "code": "16.3"}],
        policy_markers=[{"vocabulary": "1", "code": "1", "significance": "1"}],
        budgets=[Budget("1", "1", "2025-01-01", "2025-12-31", "50000.00", "USD", "2025-01-01")],
        transactions=[
            Transaction(
                "2",
                "2025-02-01",
                "50000.00",
                "USD",
                "2025-02-01",
                provider=Org(ref="XM-DAC-41313", type="40"),
                receiver=Org(narratives=[["", "Kenya Prisons Service"]], type="10"),
            )
        ],
        document_links=[
            DocumentLink("https://example.org/r.pdf", "application/pdf", [["", "Report"]], ["A01"], ["en"])
        ],
        related=[["1", "XM-DAC-41313-KEN"]],
        results=[
            Result(
                "1",
                [["", "Officers trained"]],
                indicators=[
                    Indicator(
                        "1", [["", "Officers"]], periods=[Period("2025-01-01", "2025-12-31", [Actual("40")])]
                    )
                ],
            )
        ],
    )


def _sector(a: IatiActivity, **values) -> None:
    a.sectors[0].update(values)


#: rule ID → a change that makes the valid activity break that rule (and, as far as possible, no other).
VIOLATIONS: dict[str, Callable[[IatiActivity], object]] = {
    "1.1.2": lambda a: None,  # checked twice below: the second time, the identifier is not unique
    "1.1.3": lambda a: setattr(a, "identifier", a.reporting_org.ref),
    "1.3.1": lambda a: setattr(a, "identifier", a.identifier + " "),
    "1.14.1": lambda a: setattr(a.reporting_org, "ref", " XM-DAC-41313"),
    "1.8.1": lambda a: setattr(a.participating_orgs[0], "ref", "XM-DAC-41313\n"),
    "1.10.1": lambda a: setattr(a.transactions[0].provider, "ref", " XM-DAC-41313"),
    "1.15.1": lambda a: setattr(a.transactions[0], "receiver", Org(ref="KE-GOV ", type="10")),
    "1.7.1": lambda a: setattr(a, "related", [["1", " XM-DAC-41313-KEN"]]),
    "4.3.1": lambda a: setattr(a, "titles", [["", "  "]]),
    "4.4.1": lambda a: a.descriptions[0].update(narratives=[["", ""]]),
    "4.1.1": lambda a: setattr(a, "language", ""),
    "6.10.1": lambda a: (
        setattr(a.participating_orgs[0], "ref", "") or setattr(a.participating_orgs[0], "narratives", [])
    ),
    "6.9.1": lambda a: setattr(a.transactions[0], "provider", Org(type="40")),
    "6.9.2": lambda a: setattr(a.transactions[0], "receiver", Org(type="10")),
    "6.11.1": lambda a: setattr(a, "dates", [["3", "2025-12-31"]]),
    "11.1.2": lambda a: setattr(a, "dates", [["1", "2025-06-01"], ["3", "2025-01-01"]]),
    "11.1.3": lambda a: setattr(a, "dates", [["1", "2025-01-01"], ["2", "2025-06-01"], ["4", "2025-02-01"]]),
    "11.1.4": lambda a: setattr(a, "dates", [["1", "2025-01-01"], ["2", "2027-01-01"]]),
    "11.1.5": lambda a: setattr(a, "dates", [["1", "2025-01-01"], ["2", "2025-01-02"], ["4", "2027-01-01"]]),
    "11.1.1": lambda a: setattr(a, "last_updated", "2027-01-01T00:00:00Z"),
    "3.1.2": lambda a: setattr(a, "countries", [["KE", "60"], ["UG", "30"]]),
    "12.1.1": lambda a: setattr(a, "countries", [["KE", "120"], ["UG", "-20"]]),
    "6.2.2": lambda a: setattr(a, "sectors", []),
    "2.2.1": lambda a: _sector(a, vocabulary="99", code="HR-1", narratives=[]),
    "2.1.1": lambda a: _sector(a, percentage="50"),
    "12.3.1": lambda a: setattr(
        a,
        "sectors",
        [
            {"vocabulary": "1", "code": "15160", "percentage": "150"},
            {"vocabulary": "1", "code": "15150", "percentage": "-50"},
        ],
    ),
    "6.14.1": lambda a: a.policy_markers[0].update(significance=""),
    "7.8.1": lambda a: setattr(a, "currency", "") or setattr(a.budgets[0], "currency", ""),
    "8.6.3": lambda a: setattr(a.budgets[0], "end", "2024-12-31"),
    "7.5.3": lambda a: setattr(a.budgets[0], "end", "2026-06-30"),
    "11.2.1": lambda a: setattr(a.transactions[0], "date", "2027-01-01"),
    "11.2.2": lambda a: setattr(a.transactions[0], "value_date", "2027-01-01"),
    "9.53.1": lambda a: setattr(a, "related", [["9", "X"]]),
    "8.6.1": lambda a: setattr(a.results[0].indicators[0].periods[0], "end", "2024-01-01"),
    "8.10.1": lambda a: setattr(a.results[0].indicators[0].periods[0], "actuals", [Actual("")]),
    # codes outside their codelists
    "9.95.1": lambda a: setattr(a, "language", "xx"),
    "9.5.1": lambda a: setattr(a, "status", "99"),
    "9.3.1": lambda a: setattr(a, "currency", "XYZ"),
    "9.54.1": lambda a: setattr(a.reporting_org, "type", "999"),
    "9.41.1": lambda a: setattr(a.participating_orgs[0], "role", "9"),
    "9.42.1": lambda a: setattr(a.participating_orgs[0], "type", "999"),
    "9.4.1": lambda a: a.dates.append(["9", "2025-01-01"]),
    "9.50.1": lambda a: setattr(a, "countries", [["QQ", ""]]),
    "9.78.1": lambda a: _sector(a, vocabulary="77"),
    "9.76.1": lambda a: _sector(a, code="99999"),
    "9.79.1": lambda a: a.tags.append({"vocabulary": "77", "code": "x"}),
    "9.125.1": lambda a: a.tags.append({"vocabulary": "2", "code": "18"}),
    "9.126.1": lambda a: a.tags.append({"vocabulary": "3", "code": "16.99"}),
    "9.49.1": lambda a: a.policy_markers.append({"vocabulary": "77", "code": "1", "significance": "1"}),
    "9.47.1": lambda a: a.policy_markers[0].update(code="99"),
    "9.48.1": lambda a: a.policy_markers[0].update(significance="9"),
    "9.8.1": lambda a: setattr(a.budgets[0], "type", "9"),
    "9.7.1": lambda a: setattr(a.budgets[0], "status", "9"),
    "9.9.1": lambda a: setattr(a.budgets[0], "currency", "XYZ"),
    "9.93.1": lambda a: setattr(a.transactions[0], "type", "99"),
    "9.94.1": lambda a: setattr(a.transactions[0], "currency", "XYZ"),
    "9.88.1": lambda a: setattr(a.transactions[0].provider, "type", "999"),
    "9.28.1": lambda a: setattr(a.document_links[0], "categories", ["Z99"]),
    "9.29.1": lambda a: setattr(a.document_links[0], "languages", ["xx"]),
    "9.55.1": lambda a: setattr(a.results[0], "type", "99"),
    "9.60.1": lambda a: setattr(a.results[0].indicators[0], "measure", "9"),
}


def check(activity: IatiActivity, times: int = 1) -> list[validate.Problem]:
    rules = validate.Rules(today=TODAY, now=NOW)
    found: list[validate.Problem] = []
    for _ in range(times):
        found = rules.check(activity)
    return found


def test_the_valid_activity_passes_every_rule():
    assert check(valid()) == []


def test_every_registered_rule_has_a_violating_fixture_and_none_is_left_over():
    assert set(VIOLATIONS) == validate.rule_ids()


@pytest.mark.parametrize("rule_id", sorted(VIOLATIONS, key=lambda r: [int(x) for x in r.split(".")]))
def test_each_rule_flags_its_violation(rule_id):
    activity = copy.deepcopy(valid())
    VIOLATIONS[rule_id](activity)
    found = check(activity, times=2 if rule_id == "1.1.2" else 1)
    assert rule_id in {p.rule for p in found}, [str(p) for p in found]
    assert all(p.identifier == activity.identifier for p in found)


@needs_shared
def test_coverage_is_counted_against_the_official_list():
    line = validate.coverage(SHARED_DATA)
    official = validate.official_rules(SHARED_DATA)
    assert official is not None
    assert len(official) == 248  # 249 rows; 7.8.1 is listed twice
    covered = validate.rule_ids() & official.keys()
    assert f"{len(covered)} of the 248 official rules checked" in line
    assert validate.rule_ids() <= official.keys(), line  # every ID hrtc gives is an official one
