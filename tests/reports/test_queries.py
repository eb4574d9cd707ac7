"""The queries behind the reports: what they count, for whom, and how parameters narrow them. Expectations are
computed from the records the test made, not typed in."""

from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from hrtc.accounts.policy import SYSTEM
from hrtc.assistance.choices import GenderMarker
from hrtc.core.exceptions import InvalidInput
from hrtc.funds.statements import fund_statement
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Fund
from hrtc.reports import queries
from hrtc.reports.document import Params
from tests.reports.world import END, START, YEAR, make_world


@pytest.fixture
def world(people):
    return make_world(people)


def scope(user=SYSTEM, kind="thematic", **options):
    return queries.Scope(user=user, params=Params.parse(kind, start=START, end=END, **options))


def as_dict(table, value="activities"):
    return {row[0]: row[[c.key for c in table.columns].index(value)] for row in table.rows}


def test_activities_by_region_count_what_each_reader_may_see_in_the_period(world):
    regions = dict(RegionalGroup.choices)
    for user, shown in ((SYSTEM, world.activities), (None, [a for a in world.activities if a.is_published])):
        expected = Counter(str(regions[a.state.regional_group]) for a in shown)
        people = defaultdict(int)
        for a in shown:
            people[str(regions[a.state.regional_group])] += a.participants_total
        table = queries.activities_by_region(scope(user))
        assert as_dict(table) == dict(expected)
        assert as_dict(table, "participants") == dict(people)
    assert (
        world.outside.participants_women
        not in as_dict(queries.activities_by_region(scope()), "participants").values()
    )


def test_requests_are_counted_when_received_and_by_their_outcome(world, people):
    everything = as_dict(queries.requests_by_outcome(scope()), "requests")
    assert everything == {"Accepted": 1, "Submitted": 1}  # the draft was never received
    public = as_dict(queries.requests_by_outcome(scope(None)), "requests")
    assert public == {"Accepted": 1}  # only the request whose summary Kenya made public
    slovenia = as_dict(queries.requests_by_outcome(scope(people.slovenia_focal_point)), "requests")
    assert slovenia == public


def test_gender_marker_shares_and_participants_by_sex(world):
    table = queries.gender_marker_distribution(scope())
    markers = Counter(a.gender_marker for a in world.activities)
    for value, label in GenderMarker.choices:
        row = next(r for r in table.rows if r[0] == str(label))
        assert row[1] == markers[value]
        assert row[2] == (Decimal(100) * markers[value] / len(world.activities)).quantize(Decimal("0.1"))
    sexes = as_dict(queries.participants_by_sex(scope()), "participants")
    assert sexes["Women"] == sum(a.participants_women for a in world.activities)
    assert sexes["Men"] == sum(a.participants_men for a in world.activities)
    assert sexes["Other or not stated"] == sum(a.participants_other for a in world.activities)


def test_gender_marker_by_provider_and_year(world):
    table = queries.gender_marker_by_provider(scope())
    by_provider = defaultdict(Counter)
    for a in world.activities:
        by_provider[a.lead_provider.name][a.gender_marker] += 1
    for row in table.rows:
        counts = by_provider[row[0]]
        assert row[1:4] == [counts[0], counts[1], counts[2]]
    years = queries.gender_marker_by_year(scope(kind="gender"))
    assert [r[0] for r in years.rows] == [str(YEAR)]
    assert years.rows[0][4] == len(world.activities)


def test_sdg_coverage_counts_each_activity_once_per_goal(world):
    goals = defaultdict(set)
    for a in world.activities:
        for target in a.sdg_targets.all():
            goals[f"SDG {target.goal_id}"].add(a.pk)
    assert as_dict(queries.activities_by_sdg(scope())) == {g: len(ids) for g, ids in goals.items()}


def test_fund_flows_agree_with_the_funds_statements(world):
    table = queries.fund_flows(scope())
    rows = {row[0]: row for row in table.rows}
    for fund in Fund.objects.filter(code__in=["VFTC", "LDC-SIDS-TF"]):
        statement = fund_statement(fund, YEAR)
        row = rows[fund.acronym or fund.code]
        received = next(r.usd for r in statement.receipts if r.key == "contribution")
        disbursed = next(r.usd for r in statement.payments if r.key == "disbursement")
        assert (row[2], row[3], row[4]) == (received, statement.committed, disbursed)


def test_status_changes_need_assistance_the_reader_may_see(world):
    _torture, _budget, _noted = world.recommendations
    everything = queries.status_changes_with_assistance(scope())
    assert [r[1].split(":")[0] for r in everything.rows] == ["A/HRC/99/1 ¶ 142.2", "A/HRC/99/1 ¶ 142.1"]
    assert everything.rows[0][2:4] == ["Not started", "Partially implemented"]
    assert everything.rows[0][5] == "Gender-responsive budgeting"
    public = queries.status_changes_with_assistance(scope(None))
    assert [r[5] for r in public.rows] == [
        "Gender-responsive budgeting"
    ]  # the prison activity is unpublished


def test_parameters_narrow_every_query(world):
    kenya_training, _slovenia, _brazil, _kenya_internal = world.activities
    themed = queries.activities_by_provider(scope(theme="uhri:A2"))
    assert sum(r[1] for r in themed.rows) == 2  # the Kenyan training and the Brazilian police activity
    african = queries.activities_by_region(scope(region="AFRICAN"))
    assert [r[1] for r in african.rows] == [2]
    assert as_dict(queries.activities_by_provider(scope(provider="unwomen"))) == {
        kenya_training.lead_provider.name: 1
    }
    financed = queries.activities_by_region(scope(fund="VFTC"))
    assert [r[1:3] for r in financed.rows] == [[1, 1]]
    flows = queries.fund_flows(scope(states=["BRA"]))
    assert [(r[0], r[2], r[3]) for r in flows.rows] == [("LDC-SIDS-TF", None, Decimal("12000.50"))]


def test_a_country_profile_counts_the_states_recommendations(world):
    country = scope(kind="country", states=["KEN"])
    assert as_dict(queries.recommendations_by_mechanism(country), "recommendations") == {"UPR": 2, "CCPR": 1}
    assert as_dict(queries.recommendations_by_response(country), "recommendations") == {
        "Supported": 2,
        "Noted": 1,
    }
    statuses = as_dict(queries.recommendations_by_status(country), "recommendations")
    assert statuses == {"Partially implemented": 2, "Not implemented": 1}
    timeline = {r[0]: r[1:] for r in queries.timeline(country).rows}
    assert timeline[str(YEAR)] == [3, 2, 2, 3]  # recommendations, requests, activities, assessments this year


def test_parameters_are_validated_with_a_message_naming_the_field(db):
    cases = [
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "thematic", "start": "2024-13-01"}, "from"),
        ({"kind": "thematic", "start": "2024-05-01", "end": "2024-01-01"}, "to"),
        ({"kind": "country"}, "state"),
        ({"kind": "thematic", "states": "XXX"}, "state"),
        ({"kind": "thematic", "region": "MARS"}, "region"),
        ({"kind": "thematic", "theme": "uhri:NOPE"}, "theme"),
        ({"kind": "thematic", "fund": "NOPE"}, "fund"),
        ({"kind": "thematic", "language": "de"}, "language"),
    ]
    for options, field in cases:
        kind = options.pop("kind")
        with pytest.raises(InvalidInput) as error:
            Params.parse(kind, **options)
        assert error.value.field == field, options
