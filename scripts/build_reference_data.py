"""Regenerate hrtc's shipped reference data (src/hrtc/reference/data/*.csv) from ../shared/data.

Deterministic: running it twice gives byte-identical files. Hand-curated rows (observer States, the two
UNTERM names missing upstream, mechanisms, providers, funds, the UPR Info → UHRI theme mapping) live in
this script, each with a comment saying why. See src/hrtc/reference/data/SOURCE.md for attribution.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "hrtc" / "reference" / "data"
LANGS = ["en", "fr", "es", "ru", "zh", "ar"]
UNTERM = {"en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "zh": "Chinese", "ar": "Arabic"}
GROUPS = {
    "African Group": "AFRICAN",
    "Asia and the Pacific Group": "ASIA_PACIFIC",
    "Eastern European Group": "EASTERN_EUROPEAN",
    "Latin American and Caribbean Group": "GRULAC",
    "Western European and Others Group": "WEOG",
}
# UNTERM short names that country-codes.csv lacks (its join failed for these two), from the UN's UNTERM entries.
MISSING_NAMES = {
    "CIV": {
        "en": "Côte d'Ivoire",
        "fr": "Côte d'Ivoire",
        "es": "Côte d'Ivoire",
        "ru": "Кот-д'Ивуар",
        "zh": "科特迪瓦",
        "ar": "كوت ديفوار",
    },
    "TUR": {"en": "Türkiye", "fr": "Türkiye", "es": "Türkiye", "ru": "Турция", "zh": "土耳其", "ar": "تركيا"},
}
# The two non-member observer States (un.org/en/about-us/non-member-states), curated by hand: no source file says so.
OBSERVERS = {"VAT", "PSE"}
TRAILING_ARTICLE = re.compile(r"\s*\((the|le|la|l'|l’|les|el|los|las)\)\s*$", re.I)

MECHANISMS = [
    ("UPR", "upr", "Universal Periodic Review", "UPR", ""),
    ("CCPR", "treaty_body", "Human Rights Committee", "CCPR", ""),
    ("CESCR", "treaty_body", "Committee on Economic, Social and Cultural Rights", "CESCR", ""),
    ("CERD", "treaty_body", "Committee on the Elimination of Racial Discrimination", "CERD", ""),
    ("CEDAW", "treaty_body", "Committee on the Elimination of Discrimination against Women", "CEDAW", ""),
    ("CAT", "treaty_body", "Committee against Torture", "CAT", ""),
    (
        "SPT",
        "treaty_body",
        "Subcommittee on Prevention of Torture and other Cruel, Inhuman or Degrading Treatment or Punishment",
        "SPT",
        "",
    ),
    ("CRC", "treaty_body", "Committee on the Rights of the Child", "CRC", ""),
    (
        "CMW",
        "treaty_body",
        "Committee on the Protection of the Rights of All Migrant Workers and Members of Their Families",
        "CMW",
        "",
    ),
    ("CRPD", "treaty_body", "Committee on the Rights of Persons with Disabilities", "CRPD", ""),
    ("CED", "treaty_body", "Committee on Enforced Disappearances", "CED", ""),
    ("SP", "special_procedures", "Special procedures of the Human Rights Council", "SP", ""),
]
# IATI organisation identifiers of the UN agencies (XM-DAC-<DAC channel code>) as they publish them; not
# verifiable from shared/data, see SOURCE.md. Regional organisations publish none that we could verify.
PROVIDERS = [
    (
        "ohchr",
        "ohchr",
        "Office of the United Nations High Commissioner for Human Rights",
        "OHCHR",
        "XM-DAC-41313",
    ),
    (
        "unwomen",
        "un_agency",
        "United Nations Entity for Gender Equality and the Empowerment of Women",
        "UN Women",
        "XM-DAC-41146",
    ),
    ("unfpa", "un_agency", "United Nations Population Fund", "UNFPA", "XM-DAC-41119"),
    ("undp", "un_agency", "United Nations Development Programme", "UNDP", "XM-DAC-41114"),
    ("unicef", "un_agency", "United Nations Children's Fund", "UNICEF", "XM-DAC-41122"),
    ("au", "regional_org", "African Union", "AU", ""),
    ("coe", "regional_org", "Council of Europe", "CoE", ""),
    (
        "osce-odihr",
        "regional_org",
        "OSCE Office for Democratic Institutions and Human Rights",
        "OSCE/ODIHR",
        "",
    ),
    ("oas", "regional_org", "Organization of American States", "OAS", ""),
    ("las", "regional_org", "League of Arab States", "LAS", ""),
    ("asean", "regional_org", "Association of Southeast Asian Nations", "ASEAN", ""),
    ("eu", "regional_org", "European Union", "EU", ""),
    ("oic", "regional_org", "Organisation of Islamic Cooperation", "OIC", ""),
]
FUNDS = [
    ("VFTC", "United Nations Voluntary Fund for Technical Cooperation in the Field of Human Rights", "VFTC"),
    ("UPR-VF-PARTICIPATION", "Voluntary Fund for Participation in the Universal Periodic Review", "UPR VF"),
    (
        "LDC-SIDS-TF",
        "Voluntary Technical Assistance Trust Fund to Support the Participation of Least Developed "
        "Countries and Small Island Developing States in the Work of the Human Rights Council",
        "LDC/SIDS TF",
    ),
    (
        "UPR-VF-IMPLEMENTATION",
        "Voluntary Fund for Financial and Technical Assistance in the Implementation of "
        "the Universal Periodic Review",
        "UPR VFTA",
    ),
]
# UPR Info issue → closest UHRI theme(s), curated by hand. Issues with no sensible UHRI equivalent
# (General, Other, Corruption, Human rights violations by state agents) are left unmapped.
UPRINFO_TO_UHRI = {
    "Asylum-seekers - refugees": ["G5"],
    "CP rights - general": ["D1"],
    "Civil society": ["A6"],
    "Counter-terrorism": ["B8"],
    "Death penalty": ["D21"],
    "Detention": ["D3"],
    "Development": ["B4"],
    "Disabilities": ["F4"],
    "ESC rights - general": ["E1"],
    "Elections": ["D7"],
    "Enforced disappearances": ["D32"],
    "Environment": ["B7"],
    "Extrajudicial executions": ["D21"],
    "Freedom of association and peaceful assembly": ["D4"],
    "Freedom of movement": ["D4"],
    "Freedom of opinion and expression": ["D43"],
    "Freedom of religion and belief": ["D42"],
    "Freedom of the press": ["D43"],
    "HIV - Aids": ["E4"],
    "Human rights defenders": ["H1"],
    "Human rights education and training": ["A5"],
    "Impunity": ["B5"],
    "Indigenous peoples": ["G3"],
    "Internally displaced persons": ["G6"],
    "International humanitarian law": ["B1"],
    "International instruments": ["A12"],
    "Justice": ["D51"],
    "Labour": ["E3"],
    "Migrants": ["G4"],
    "Minorities": ["G1"],
    "NHRI": ["A45"],
    "National plan of action": ["A43"],
    "Poverty": ["E25"],
    "Public security": ["D3"],
    "Racial discrimination": ["B32"],
    "Right to education": ["E51"],
    "Right to food": ["E2"],
    "Right to health": ["E41"],
    "Right to housing": ["E23"],
    "Right to land": ["E6"],
    "Right to water": ["E26"],
    "Rights of the Child": ["F3"],
    "Sexual Orientation and Gender Identity": ["G2"],
    "Special procedures": ["A24"],
    "Technical assistance and cooperation": ["A3"],
    "Torture and other CID treatment": ["D25"],
    "Trafficking": ["D27"],
    "Treaty bodies": ["A22"],
    "UPR process": ["A27"],
    "Women's rights": ["F1"],
}
# Affected groups every user expects, with stable slugs; UHRI's long names get short codes.
GROUP_CODES = {
    "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)": "lgbti-persons",
    "Minorities / racial, ethnic, linguistic, religious or descent-based groups": "minorities",
    "Refugees & asylum seekers": "refugees-and-asylum-seekers",
}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean_name(name: str) -> str:
    return TRAILING_ARTICLE.sub("", name.replace("*", "").strip()).strip()


def write(name: str, header: list[str], rows: list[list]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def states(shared: Path) -> None:
    members_dir = shared / "un-members"
    with (members_dir / "stefangabos-un-members-en.csv").open(encoding="utf-8") as handle:
        members = {row["alpha3"].upper() for row in csv.DictReader(handle)}
    assert len(members) == 193, len(members)
    with (members_dir / "country-codes.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["ISO3166-1-Alpha-3"]: row for row in csv.DictReader(handle) if row["ISO3166-1-Alpha-3"]}
    with (members_dir / "UNSD-M49-en.csv").open(encoding="utf-8-sig", newline="") as handle:
        m49 = {row["ISO-alpha3 Code"]: row for row in csv.DictReader(handle)}
    groups = {
        c["cca3"]: c.get("unRegionalGroup", "")
        for c in json.loads((members_dir / "mledoze-countries.json").read_text(encoding="utf-8"))
    }
    rows = []
    for alpha3 in sorted(members | OBSERVERS):
        cc, un = codes[alpha3], m49[alpha3]
        names = MISSING_NAMES.get(alpha3) or {
            lang: clean_name(cc[f"UNTERM {UNTERM[lang]} Short"]) for lang in LANGS
        }
        assert all(names.values()), alpha3
        observer = alpha3 in OBSERVERS
        group = "" if observer else GROUPS[groups[alpha3]]
        rows.append(
            [
                alpha3,
                cc["ISO3166-1-Alpha-2"],
                un["M49 Code"].zfill(3),
                *(names[lang] for lang in LANGS),
                "observer" if observer else "member",
                group,
                un["Region Name"],
                un["Sub-region Name"],
                int(bool(un["Least Developed Countries (LDC)"])),
                int(bool(un["Land Locked Developing Countries (LLDC)"])),
                int(bool(un["Small Island Developing States (SIDS)"])),
            ]
        )
    write(
        "states.csv",
        [
            "alpha3",
            "alpha2",
            "m49",
            *(f"name_{lang}" for lang in LANGS),
            "un_status",
            "regional_group",
            "m49_region",
            "m49_subregion",
            "ldc",
            "lldc",
            "sids",
        ],
        rows,
    )


def sdgs(shared: Path) -> None:
    titles: dict[tuple[str, str], dict[str, str]] = {}
    with (shared / "sdg-translations" / "sdg_framework_6lang.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        for row in csv.DictReader(handle):
            if row["kind"] in {"goal", "target"}:
                lang = "zh" if row["lang"].startswith("zh") else row["lang"]
                titles.setdefault((row["kind"], row["code"]), {})[lang] = " ".join(row["title"].split())

    def order(code: str) -> tuple[int, int]:
        goal, _, target = code.partition(".")
        return int(goal), int(target) if target.isdigit() else 100 + ord(target)

    goals = sorted((code for kind, code in titles if kind == "goal"), key=int)
    targets = sorted((code for kind, code in titles if kind == "target"), key=order)
    write(
        "sdg_goals.csv",
        ["code", *(f"title_{lang}" for lang in LANGS)],
        [[code, *(titles[("goal", code)][lang] for lang in LANGS)] for code in goals],
    )
    write(
        "sdg_targets.csv",
        ["code", "goal", *(f"title_{lang}" for lang in LANGS)],
        [[code, code.split(".")[0], *(titles[("target", code)][lang] for lang in LANGS)] for code in targets],
    )


def themes(shared: Path) -> list[str]:
    taxonomy = shared / "uhri-taxonomy"
    rows: dict[str, list] = {}
    with (taxonomy / "themes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["heading_code"]:
                rows[row["heading_code"]] = ["uhri", row["heading_code"], row["heading_name"], "", 1]
            rows[row["code"]] = ["uhri", row["code"], row["name"], row["heading_code"], 2]
    with (taxonomy / "themes_observed_ohchr_slovenia_cycle2.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        for row in csv.DictReader(handle):
            if row["code"] in rows:
                continue
            parent = row["parent_code_by_prefix"] if row["parent_code_by_prefix"] in rows else ""
            rows[row["code"]] = [
                "uhri",
                row["code"],
                row["name_as_printed"],
                parent,
                int(row["level"]) if parent else 2,
            ]
    labels: set[str] = set()
    for path in sorted((shared / "upr-info-sessions-1-17").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                labels.update(x.strip() for x in re.split(r",(?! )", row["Issue"]) if x.strip())
    assert len(labels) == 54, len(labels)
    out = sorted(rows.values(), key=lambda r: (r[1][0], len(r[1]), r[1]))
    out += [["uprinfo", label, label, "", 1] for label in sorted(labels)]
    write("themes.csv", ["vocabulary", "code", "name_en", "parent_code", "level"], out)
    unknown = {c for codes in UPRINFO_TO_UHRI.values() for c in codes} - set(rows)
    assert not unknown, unknown
    assert set(UPRINFO_TO_UHRI) <= labels, set(UPRINFO_TO_UHRI) - labels
    write(
        "theme_mapping.csv",
        ["from_vocabulary", "from_code", "to_vocabulary", "to_code"],
        [
            ["uprinfo", label, "uhri", code]
            for label in sorted(UPRINFO_TO_UHRI)
            for code in UPRINFO_TO_UHRI[label]
        ],
    )
    return sorted(labels)


def affected_groups(shared: Path) -> None:
    with (shared / "uhri-taxonomy" / "affected_persons.csv").open(encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    rows = {GROUP_CODES.get(name, slug(name)): name for name in names}
    for code, name in (
        ("women", "Women"),
        ("girls", "Girls"),
        ("children", "Children"),
        ("persons-with-disabilities", "Persons with disabilities"),
        ("migrants", "Migrants"),
        ("indigenous-peoples", "Indigenous peoples"),
        ("older-persons", "Older persons"),
        ("human-rights-defenders", "Human rights defenders"),
        ("lgbti-persons", "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)"),
    ):
        assert rows.get(code) == name, (code, rows.get(code))
    write(
        "affected_groups.csv", ["code", "name_en", "uhri_code"], [[c, n, ""] for c, n in sorted(rows.items())]
    )


def currencies(shared: Path) -> None:
    tree = ET.parse(shared / "iati-2.03" / "codelists" / "Currency.xml")  # noqa: S314 - a trusted local file
    rows = []
    for item in tree.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        rows.append([item.findtext("code"), " ".join(item.findtext("name/narrative").split()), ""])
    write("currencies.csv", ["code", "name_en", "numeric"], sorted(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    shared = parser.parse_args().shared
    OUT.mkdir(parents=True, exist_ok=True)
    states(shared)
    sdgs(shared)
    themes(shared)
    affected_groups(shared)
    currencies(shared)
    write(
        "mechanisms.csv", ["code", "kind", "name_en", "acronym", "parent_code"], [list(m) for m in MECHANISMS]
    )
    write(
        "providers.csv", ["code", "kind", "name_en", "acronym", "iati_org_ref"], [list(p) for p in PROVIDERS]
    )
    write("funds.csv", ["code", "name_en", "acronym"], [list(f) for f in FUNDS])


if __name__ == "__main__":
    main()
