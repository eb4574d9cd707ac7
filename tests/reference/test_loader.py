"""Reference data: the counts the UN lists give, idempotent reloading, audited corrections, clear errors."""

import csv
import shutil

import pytest
from auditlog.models import LogEntry

from hrtc.accounts.models import Organisation
from hrtc.reference import loader
from hrtc.reference.loader import ReferenceDataError, load_reference
from hrtc.reference.models import AffectedGroup, Currency, Fund, Mechanism, SdgGoal, SdgTarget, State, Theme
from tests.base import SHARED_DATA, needs_shared

pytestmark = pytest.mark.django_db


def test_the_un_lists_are_complete():
    assert State.objects.count() == 195
    assert State.objects.filter(un_status="member").count() == 193
    assert set(State.objects.filter(un_status="observer").values_list("code", flat=True)) == {"VAT", "PSE"}
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert Fund.objects.count() == 4
    assert Mechanism.objects.filter(kind="treaty_body").count() == 10
    assert set(Mechanism.objects.filter(kind="treaty_body").values_list("code", flat=True)) == {
        "CCPR",
        "CESCR",
        "CERD",
        "CEDAW",
        "CAT",
        "SPT",
        "CRC",
        "CMW",
        "CRPD",
        "CED",
    }
    assert Mechanism.objects.filter(code="UPR", kind="upr").exists()
    assert Mechanism.objects.filter(kind="special_procedures").exists()


def test_every_member_state_is_in_a_regional_group_and_named_in_six_languages():
    members = State.objects.filter(un_status="member")
    assert not members.filter(regional_group="").exists()
    groups = {
        g: members.filter(regional_group=g).count() for g in members.values_list("regional_group", flat=True)
    }
    # Electoral groups as kept by mledoze/countries (Kiribati: Asia-Pacific; Israel, Türkiye, US: WEOG).
    assert groups == {"AFRICAN": 54, "ASIA_PACIFIC": 54, "EASTERN_EUROPEAN": 23, "GRULAC": 33, "WEOG": 29}
    for state in State.objects.all():
        assert set(state.names) == {"fr", "es", "ru", "zh", "ar"}, state.code
    assert State.objects.get(code="CIV").localized_name("fr").startswith("Côte d")
    assert State.objects.get(code="CHN").localized_name("zh") == "中国"


def test_groupings_follow_the_un_lists():
    assert State.objects.get(code="TUV").is_sids
    assert State.objects.get(code="TUV").is_ldc
    assert State.objects.get(code="NPL").is_lldc
    assert not State.objects.get(code="FRA").is_ldc
    assert 40 <= State.objects.filter(is_ldc=True).count() <= 46


def test_sdg_targets_are_ordered_and_translated():
    codes = list(SdgTarget.objects.filter(goal="1").values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    target = SdgTarget.objects.get(code="5.2")
    assert "violence against all women and girls" in target.title
    assert set(target.titles) >= {"fr", "es", "ru", "zh", "ar"}


def test_themes_vocabularies_and_mapping():
    assert Theme.objects.filter(vocabulary="uhri").exists()
    assert Theme.objects.filter(vocabulary="uprinfo").count() == 54
    women = Theme.objects.get(vocabulary="uprinfo", code="Women's rights")
    assert women.mapped_to.exists()
    for code in (
        "women",
        "girls",
        "children",
        "persons-with-disabilities",
        "migrants",
        "indigenous-peoples",
        "lgbti-persons",
        "older-persons",
        "human-rights-defenders",
    ):
        assert AffectedGroup.objects.filter(code=code).exists(), code


def test_currencies_and_providers():
    assert Currency.objects.filter(code__in=["USD", "EUR", "CHF", "KES"]).count() == 4
    assert Currency.objects.count() > 150
    providers = set(Organisation.objects.values_list("code", flat=True))
    assert {"ohchr", "unwomen", "unfpa", "undp", "unicef"} <= providers


def test_reloading_changes_nothing():
    before = LogEntry.objects.count()
    report = load_reference()
    assert report.changed == 0
    assert report.counts["States"].unchanged == 195
    assert LogEntry.objects.count() == before


def test_a_drifted_record_is_restored_and_the_correction_audited():
    State.objects.filter(code="KEN").update(name="Kenia")
    report = load_reference()
    assert report.counts["States"].updated == 1
    assert State.objects.get(code="KEN").name == "Kenya"
    entry = LogEntry.objects.get_for_object(State.objects.get(code="KEN")).latest("id")
    assert entry.changes["name"] == ["Kenia", "Kenya"]


def copy_data(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, target)
    monkeypatch.setattr(loader, "DATA_DIR", target)
    return target


def test_a_bad_row_names_file_row_and_field_and_changes_nothing(tmp_path, monkeypatch):
    data = copy_data(tmp_path, monkeypatch)
    path = data / "sdg_targets.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    rows[1][header.index("code")] = "1.1"
    rows[5][header.index("title_en")] = ""
    rows[1][header.index("title_en")] = "Changed title that must not be saved"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(ReferenceDataError, match=r"sdg_targets\.csv, row 6, field 'title_en'"):
        load_reference()
    assert SdgTarget.objects.get(code="1.1").title != "Changed title that must not be saved"


def test_a_missing_column_is_named(tmp_path, monkeypatch):
    data = copy_data(tmp_path, monkeypatch)
    path = data / "funds.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("name_en", "title", 1), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"funds\.csv: missing column\(s\) name_en"):
        load_reference()


@needs_shared
def test_member_states_match_the_published_list():
    with (SHARED_DATA / "un-members" / "stefangabos-un-members-en.csv").open(encoding="utf-8") as handle:
        published = {row["alpha3"].upper() for row in csv.DictReader(handle)}
    assert len(published) == 193
    assert set(State.objects.filter(un_status="member").values_list("code", flat=True)) == published
