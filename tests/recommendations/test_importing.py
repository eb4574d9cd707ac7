"""Importing real recommendation files: counts match the files, re-import changes nothing, a bad row
refuses the whole file and nothing is written, and only allowed people may import."""

import csv
import re
import shutil

import pytest
from auditlog.models import LogEntry

from hrtc.accounts import policy
from hrtc.accounts.policy import SYSTEM
from hrtc.core.exceptions import ImportRefused
from hrtc.core.models import ImportRun
from hrtc.recommendations.importing import recommendations_import
from hrtc.recommendations.models import Pledge, Recommendation
from tests.base import SHARED_DATA, needs_shared

pytestmark = pytest.mark.django_db
UPRINFO = SHARED_DATA / "upr-info-sessions-1-17"
SLOVENIA = SHARED_DATA / "ohchr-upr-matrices-slovenia"


def distinct_uprinfo(path):
    """Independent count: one recommendation per (State under review, session, normalised text)."""
    keys = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = " ".join(
                re.sub(
                    r"[^\w]+", " ", row["Text"].replace("&#40;", "(").replace("&#41;", ")").casefold()
                ).split()
            )
            keys.add((row["To"], row["Session"], text))
    return len(keys)


def state(*codes):
    return {"state": codes}


def snapshot():
    return (
        Recommendation.objects.count(),
        Pledge.objects.count(),
        ImportRun.objects.count(),
        LogEntry.objects.count(),
    )


@needs_shared
def test_upr_info_export_imports_with_counts_matching_the_file_and_reimport_changes_nothing():
    path = UPRINFO / "recommendations_sessions_1-5.csv"
    first = recommendations_import(path=path, by=SYSTEM)
    assert first.rows_read == 6094
    assert first.created == distinct_uprinfo(path) == Recommendation.objects.count()
    assert first.created + first.merged_rows == 6094
    assert Recommendation.objects.filter(response="supported").exists()
    afghanistan = Recommendation.objects.filter(state_under_review="AFG", session=5)
    assert afghanistan.exists()
    assert afghanistan.first().mechanism_id == "UPR"
    joint = Recommendation.objects.filter(recommending_states__isnull=False).order_by().values("pk")
    assert joint.count() >= first.created
    before = snapshot()
    again = recommendations_import(path=path, by=SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert snapshot()[:2] == before[:2]


@needs_shared
def test_upr_info_pledges_are_imported_as_pledges():
    report = recommendations_import(path=UPRINFO / "voluntary_pledges_sessions_1-20.csv", by=SYSTEM)
    assert report.rows_read == 947
    assert report.pledges_created == Pledge.objects.count() > 900
    assert report.created == 0
    assert Pledge.objects.filter(state="ALB", themes__vocabulary="uprinfo").exists()


@needs_shared
def test_ohchr_matrices_import_from_csv_and_from_word_meet_in_the_same_records():
    report = recommendations_import(path=SLOVENIA / "slovenia_upr_thematic_lists_cycles2-4.csv", by=SYSTEM)
    assert report.rows_read == 632
    assert report.created == 632 == Recommendation.objects.filter(state_under_review="SVN").count()
    rec = Recommendation.objects.get(document_symbol="A/HRC/28/15", paragraph="115.3")
    assert set(rec.recommending_states.values_list("code", flat=True)) == {"PRT", "SVK"}
    assert rec.response == "supported"
    assert rec.cycle == 2
    assert rec.themes.filter(vocabulary="uhri", code="A12").exists()
    assert Recommendation.objects.filter(cycle=3, sdg_goals__isnull=False).distinct().count() >= 190
    word = next((SLOVENIA / "original_docx").glob("UPR34*.docx"))
    again = recommendations_import(path=word, by=SYSTEM)
    assert again.created == 0
    assert again.rows_read == 215
    assert again.unchanged + again.updated == 215


@needs_shared
def test_a_bad_row_refuses_the_whole_file_naming_row_and_field(tmp_path):
    recommendations_import(path=SLOVENIA / "slovenia_upr_thematic_lists_cycles2-4.csv", by=SYSTEM)
    before = snapshot()
    broken = tmp_path / "upr-info-broken.csv"
    with (
        (UPRINFO / "recommendations_sessions_1-5.csv").open(encoding="utf-8") as source,
        broken.open("w", encoding="utf-8", newline="") as target,
    ):
        reader, writer = csv.reader(source), csv.writer(target)
        for number, row in enumerate(reader, start=1):
            if number == 4001:
                row[0] = "Atlantis"  # the State under review
            writer.writerow(row)
    with pytest.raises(
        ImportRefused, match=r"upr-info-broken\.csv, row 4001, field 'state_under_review'.*Atlantis"
    ):
        recommendations_import(path=broken, by=SYSTEM)
    assert snapshot() == before


@needs_shared
def test_a_states_focal_point_imports_its_own_recommendations_only(people, tmp_path):
    matrix = SLOVENIA / "slovenia_upr_thematic_lists_cycles2-4.csv"
    with pytest.raises(ImportRefused, match="you may not import recommendations about SVN"):
        recommendations_import(path=matrix, by=people.kenya_focal_point)
    assert Recommendation.objects.count() == 0
    report = recommendations_import(path=matrix, by=people.slovenia_focal_point)
    assert report.created == 632
    batch = ImportRun.objects.get(pk=report.batch_id)
    assert batch.kind == "recommendations"
    assert batch.details["pledges_created"] == report.pledges_created
    assert batch.by == people.slovenia_focal_point
    assert len(batch.sha256) == 64
    event = LogEntry.objects.get_for_object(batch).get()
    assert event.actor == people.slovenia_focal_point
    assert event.additional_data["event"] == "recommendations.import"


@pytest.mark.parametrize(
    "role",
    ["anonymous", "no_org_user", "kenya_viewer", "cso_member", "nhri_member", "donor", "unwomen_officer"],
)
def test_who_may_not_import(people, role):
    with pytest.raises(policy.AccessDenied):
        recommendations_import(path=SHARED_DATA / "missing.csv", by=getattr(people, role))


@needs_shared
def test_an_update_in_the_source_is_applied_and_audited(tmp_path):
    original = tmp_path / "matrix.csv"
    shutil.copy(SLOVENIA / "slovenia_upr_thematic_lists_cycles2-4.csv", original)
    recommendations_import(path=original, by=SYSTEM)
    text = original.read_text(encoding="utf-8")
    original.write_text(
        text.replace("Supported,A/HRC/28/15/Add.1 - Para. 3", "Noted,A/HRC/28/15/Add.1 - Para. 3", 1),
        encoding="utf-8",
    )
    report = recommendations_import(path=original, by=SYSTEM)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 631)
    changed = Recommendation.objects.get(response="noted", document_symbol="A/HRC/28/15", paragraph="115.1")
    entry = LogEntry.objects.get_for_object(changed).latest("id")
    assert entry.changes["response"] == ["supported", "noted"]
