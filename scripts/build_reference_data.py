"""Regenerate hrtc's shipped reference data (src/hrtc/reference/data/*.csv) from ../shared/data.

Usage (from the repository root):

    python scripts/build_reference_data.py [--shared PATH] [--out PATH]

Standard library only. Deterministic: rows are sorted, files are UTF-8 with "\\n" line endings and a
header row, so running it twice gives byte-identical files. Every hand-curated row lives in this script
with a comment saying why; src/hrtc/reference/data/SOURCE.md gives the attribution. The cross-checks
between sources are printed (and the impossible cases fail loudly), so a changed upstream file shows up.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "hrtc" / "reference" / "data"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"

LANGS = ["en", "fr", "es", "ru", "zh", "ar"]
UNTERM = {"en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "zh": "Chinese", "ar": "Arabic"}
FLAGS = {
    "ldc": "Least Developed Countries (LDC)",
    "lldc": "Land Locked Developing Countries (LLDC)",
    "sids": "Small Island Developing States (SIDS)",
}
# mledoze `unRegionalGroup` → the project's codes.
GROUPS = {
    "African Group": "AFRICAN",
    "Asia and the Pacific Group": "ASIA_PACIFIC",
    "Eastern European Group": "EASTERN_EUROPEAN",
    "Latin American and Caribbean Group": "GRULAC",
    "Western European and Others Group": "WEOG",
}

# HAND-CURATED. The two non-member observer States (https://www.un.org/en/about-us/non-member-states).
# No source file states observer status (see shared/data/un-members/SOURCE.md).
OBSERVERS = {"VAT", "PSE"}

# HAND-CURATED. country-codes.csv has empty UNTERM names for these two Member States (its upstream name join
# failed). These are the UNTERM short names (trailing article markers removed, as for every other State);
# the country-codes.csv `official_name_*` columns carry the same ru / zh / ar spellings.
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

# UNTERM short names end with the article used in running text, e.g. "Bahamas (the)", "Kenya (le)",
# "Brasil (el)"; and "*" / "**" mark non-members. Both are dropped for display names.
TRAILING_MARKS = re.compile(r"(\s*\*+\s*$)|(\s*\((the|le|la|l'|l’|les|el|los|las)\)\s*$)", re.I)

# HAND-WRITTEN. code, kind, name_en, acronym, parent_code.
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

# HAND-WRITTEN. code, kind, name_en, acronym, iati_org_ref.
# No file in shared/data lists IATI organisation identifiers, so none is verified here. The four UN agency
# identifiers (XM-DAC-<OECD DAC channel code>) are kept as commonly published in the IATI organisation
# registry; OHCHR's is left empty rather than guessed; regional organisations get none.
PROVIDERS = [
    ("ohchr", "ohchr", "Office of the United Nations High Commissioner for Human Rights", "OHCHR", ""),
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

# HAND-WRITTEN. code, name_en, acronym. Only VFTC has an acronym in common use; the others have none.
FUNDS = [
    ("VFTC", "United Nations Voluntary Fund for Technical Cooperation in the Field of Human Rights", "VFTC"),
    ("UPR-VF-PARTICIPATION", "Voluntary Fund for Participation in the Universal Periodic Review", ""),
    (
        "LDC-SIDS-TF",
        "Voluntary Technical Assistance Trust Fund to Support the Participation of Least Developed "
        "Countries and Small Island Developing States in the Work of the Human Rights Council",
        "",
    ),
    (
        "UPR-VF-IMPLEMENTATION",
        "Voluntary Fund for Financial and Technical Assistance in the Implementation of "
        "the Universal Periodic Review",
        "",
    ),
]

# HAND-CURATED. UPR Info issue → closest coded UHRI theme(s). Level-2 codes come from uhri-taxonomy/themes.csv;
# level-3 codes (two digits) exist only because OHCHR printed them in the Slovenia cycle-2 matrix, and are used
# where they name the issue exactly. Unmapped, because the coded UHRI list available here has no honest
# equivalent: "General", "Other", "Corruption", "Human rights violations by state agents".
UPRINFO_TO_UHRI = {
    "Asylum-seekers - refugees": ["G5"],  # Refugees & asylum seekers
    "CP rights - general": ["D1"],  # Civil & political rights - general measures of implementation
    "Civil society": ["A6"],  # Context, statistics, budget, civil society
    "Counter-terrorism": ["B8"],  # Human rights & counter-terrorism
    "Death penalty": ["D21"],  # Right to life
    "Detention": ["D3"],  # Liberty and security of the person
    "Development": ["B4"],  # Right to development
    "Disabilities": ["F4"],  # Persons with disabilities
    "ESC rights - general": ["E1"],  # Economic, social & cultural rights - general measures of implementation
    "Elections": ["D7"],  # Right to participation in public affairs and right to vote
    "Enforced disappearances": ["D32"],  # Enforced disappearances
    "Environment": ["B7"],  # Human rights and environmental issues
    "Extrajudicial executions": ["D21"],  # Right to life
    "Freedom of association and peaceful assembly": ["D4"],  # Fundamental freedoms
    "Freedom of movement": ["D4"],  # Fundamental freedoms
    "Freedom of opinion and expression": ["D43"],  # Freedom of opinion and expression
    "Freedom of religion and belief": ["D42"],  # Freedom of thought, conscience and religion
    "Freedom of the press": ["D43"],  # Freedom of opinion and expression
    "HIV - Aids": ["E4"],  # Right to health
    "Human rights defenders": ["H1"],  # Human rights defenders
    "Human rights education and training": ["A5"],  # Human rights education, trainings and awareness raising
    "Impunity": ["B5", "D5"],  # Right to a remedy; Administration of justice
    "Indigenous peoples": ["G3"],  # Indigenous peoples
    "Internally displaced persons": ["G6"],  # Internally displaced persons
    "International humanitarian law": ["B1"],  # International criminal and humanitarian law
    "International instruments": ["A12"],  # Acceptance of international norms
    "Justice": ["D5"],  # Administration of justice
    "Labour": ["E3"],  # Labour rights
    "Migrants": ["G4"],  # Migrants
    "Minorities": ["G1"],  # Members of minorities
    "NHRI": ["A45"],  # National Human Rights Institution (NHRI)
    "National plan of action": ["A43"],  # Human rights policies
    "Poverty": ["E25"],  # Human rights & poverty
    "Public security": ["D3"],  # Liberty and security of the person
    "Racial discrimination": ["B32"],  # Racial discrimination
    "Right to education": ["E5"],  # Right to education
    "Right to food": ["E2"],  # Right to an adequate standard of living
    "Right to health": ["E4"],  # Right to health
    "Right to housing": ["E23"],  # Right to adequate housing
    "Right to land": ["E6"],  # Rights to protection of property; financial credit
    "Right to water": ["E26"],  # Human Rights & drinking water and sanitation
    "Rights of the Child": ["F3"],  # Children
    "Sexual Orientation and Gender Identity": ["G2"],  # LGBTI persons
    "Special procedures": ["A24"],  # Cooperation with special procedures
    "Technical assistance and cooperation": ["A3"],  # Inter-State cooperation & development assistance
    "Torture and other CID treatment": ["D25"],  # Prohibition of torture and cruel, inhuman or degrading...
    "Trafficking": ["D27"],  # Prohibition of slavery, trafficking
    "Treaty bodies": ["A22"],  # Cooperation with treaty bodies
    "UPR process": ["A27"],  # Follow-up to Universal Periodic Review (UPR)
    "Women's rights": ["F1"],  # Women
}

# HAND-CURATED. Short stable slugs for the three UHRI affected-persons names too long to slug as they are.
GROUP_CODES = {
    "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)": "lgbti-persons",
    "Minorities / racial, ethnic, linguistic, religious or descent-based groups": "minorities",
    "Refugees & asylum seekers": "refugees-and-asylum-seekers",
}
# Affected groups every user expects. A row is added by hand (with an empty uhri_code) only if UHRI lacks it.
REQUIRED_GROUPS = [
    ("women", "Women"),
    ("girls", "Girls"),
    ("children", "Children"),
    ("persons-with-disabilities", "Persons with disabilities"),
    ("migrants", "Migrants"),
    ("indigenous-peoples", "Indigenous peoples"),
    ("lgbti-persons", "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)"),
    ("older-persons", "Older persons"),
    ("human-rights-defenders", "Human rights defenders"),
]


def note(message: str) -> None:
    print(f"  note: {message}")


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean_name(name: str) -> str:
    previous = None
    name = name.strip()
    while previous != name:  # "Holy See (the) *": the asterisk, then the article
        previous, name = name, TRAILING_MARKS.sub("", name).strip()
    return name


def read_rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def write(out: Path, name: str, header: list[str], rows: list[list]) -> None:
    with (out / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")  # QUOTE_MINIMAL, the default
        writer.writerow(header)
        writer.writerows([[str(value) for value in row] for row in rows])
    print(f"{name}: {len(rows)} rows")


def states(shared: Path, out: Path) -> None:
    folder = shared / "un-members"
    members = {row["alpha3"].upper() for row in read_rows(folder / "stefangabos-un-members-en.csv")}
    if len(members) != 193:
        sys.exit(f"stefangabos-un-members-en.csv: expected 193 Member States, found {len(members)}")
    codes = {
        r["ISO3166-1-Alpha-3"]: r for r in read_rows(folder / "country-codes.csv") if r["ISO3166-1-Alpha-3"]
    }
    m49 = {r["ISO-alpha3 Code"]: r for r in read_rows(folder / "UNSD-M49-en.csv", "utf-8-sig")}
    mledoze = {
        c["cca3"]: c for c in json.loads((folder / "mledoze-countries.json").read_text(encoding="utf-8"))
    }

    # Cross-check the membership list against the other two sources.
    unterm = {
        a for a, r in codes.items() if r["UNTERM English Short"] and "*" not in r["UNTERM English Short"]
    }
    for alpha3 in sorted(members - unterm):
        note(f"{alpha3} is a Member State but has no plain UNTERM name in country-codes.csv")
    for alpha3 in sorted(unterm - members):
        note(f"{alpha3} has a plain UNTERM name in country-codes.csv but is not in the member list")
    flagged = {a for a, c in mledoze.items() if c.get("unMember")}
    for alpha3 in sorted(flagged ^ members):
        note(f"{alpha3}: mledoze unMember={alpha3 in flagged}, member list says {alpha3 in members}")
    if members - set(codes) or members - set(m49) or members - set(mledoze):
        sys.exit(
            "a Member State is missing from country-codes.csv, UNSD-M49-en.csv or mledoze-countries.json"
        )

    rows = []
    for alpha3 in sorted(members | OBSERVERS):
        cc, un, ml = codes[alpha3], m49[alpha3], mledoze[alpha3]
        names = MISSING_NAMES.get(alpha3) or {
            lang: clean_name(cc[f"UNTERM {UNTERM[lang]} Short"]) for lang in LANGS
        }
        if not all(names.get(lang) for lang in LANGS):
            sys.exit(f"{alpha3}: a name is empty in {names}")
        observer = alpha3 in OBSERVERS
        group = ml.get("unRegionalGroup", "")
        if observer:
            if group:
                note(f"{alpha3} is an observer State but mledoze gives it the group {group!r}; left empty")
            group = ""
        else:
            group = GROUPS[group]  # KeyError means a Member State without a known group
        if cc["ISO3166-1-Alpha-2"] != un["ISO-alpha2 Code"]:
            note(
                f"{alpha3}: alpha-2 {cc['ISO3166-1-Alpha-2']} (country-codes) vs {un['ISO-alpha2 Code']} (M49)"
            )
        if cc["M49"].zfill(3) != un["M49 Code"].zfill(3):
            note(f"{alpha3}: M49 {cc['M49']} (country-codes) vs {un['M49 Code']} (UNSD)")
        flags = {}
        for key, column in FLAGS.items():
            flags[key] = int(bool(un[column].strip()))
            if flags[key] != int(bool(cc[column].strip())):
                note(
                    f"{alpha3}: {key} is {flags[key]} in UNSD-M49-en.csv but not in country-codes.csv; M49 kept"
                )
        rows.append(
            [
                alpha3,
                un["ISO-alpha2 Code"],
                un["M49 Code"].zfill(3),
                *(names[lang] for lang in LANGS),
                "observer" if observer else "member",
                group,
                un["Region Name"],
                un["Sub-region Name"],
                flags["ldc"],
                flags["lldc"],
                flags["sids"],
            ]
        )
    header = ["alpha3", "alpha2", "m49", *(f"name_{lang}" for lang in LANGS), "un_status", "regional_group"]
    header += ["m49_region", "m49_subregion", "ldc", "lldc", "sids"]
    write(out, "states.csv", header, rows)


def target_key(code: str) -> tuple[int, int]:
    """1.1 < 1.2 < … < 1.10 < 1.a < 1.b: numbered targets first, then the lettered means of implementation."""
    goal, _, target = code.partition(".")
    return int(goal), int(target) if target.isdigit() else 1000 + ord(target)


def sdgs(shared: Path, out: Path) -> None:
    titles: dict[tuple[str, str], dict[str, str]] = {}
    for row in read_rows(shared / "sdg-translations" / "sdg_framework_6lang.csv"):
        if row["kind"] in {"goal", "target"}:  # full goal titles, not the `goal_short` names
            lang = "zh" if row["lang"].startswith("zh") else row["lang"]
            titles.setdefault((row["kind"], row["code"]), {})[lang] = " ".join(row["title"].split())
    goals = sorted((code for kind, code in titles if kind == "goal"), key=int)
    targets = sorted((code for kind, code in titles if kind == "target"), key=target_key)
    for key, values in titles.items():
        if not all(values.get(lang) for lang in LANGS):
            sys.exit(f"SDG {key}: missing a language in {sorted(values)}")
    write(
        out,
        "sdg_goals.csv",
        ["code", *(f"title_{lang}" for lang in LANGS)],
        [[code, *(titles[("goal", code)][lang] for lang in LANGS)] for code in goals],
    )
    write(
        out,
        "sdg_targets.csv",
        ["code", "goal", *(f"title_{lang}" for lang in LANGS)],
        [[code, code.split(".")[0], *(titles[("target", code)][lang] for lang in LANGS)] for code in targets],
    )


def uprinfo_labels(shared: Path) -> list[str]:
    """The distinct UPR Info issue labels (the `Issue` column is comma-separated without spaces)."""
    labels: set[str] = set()
    for path in sorted((shared / "upr-info-sessions-1-17").glob("*.csv")):
        for row in read_rows(path):
            labels.update(label.strip() for label in (row.get("Issue") or "").split(",") if label.strip())
    if len(labels) != 54:
        sys.exit(f"UPR Info: expected 54 issue labels, found {len(labels)}")
    return sorted(labels)


def themes(shared: Path, out: Path) -> None:
    taxonomy = shared / "uhri-taxonomy"
    uhri: dict[str, list] = {}
    for row in read_rows(taxonomy / "themes.csv"):
        # Headings exist in the source for A, B, D, E and F only (no C; G and H have none), so G1–G6 and H1
        # stay level 2 with no parent rather than under an invented heading.
        if row["heading_code"]:
            uhri[row["heading_code"]] = ["uhri", row["heading_code"], row["heading_name"], "", 1]
        uhri[row["code"]] = ["uhri", row["code"], row["name"], row["heading_code"], 2]
    # Codes OHCHR printed in the Slovenia cycle-2 matrix: real codes in use, not a full list. A level-3
    # code's parent is its two-character prefix (a rule, see that folder's SOURCE.md), checked to exist.
    for row in read_rows(taxonomy / "themes_observed_ohchr_slovenia_cycle2.csv"):
        code, name, level = row["code"], row["name_as_printed"], int(row["level"])
        if code in uhri:
            if uhri[code][2] != name:
                note(f"UHRI {code}: {uhri[code][2]!r} (IMPACT OSS) vs {name!r} (OHCHR matrix); source kept")
            continue
        if level == 3:
            parent = row["parent_code_by_prefix"]
            if parent not in uhri:
                sys.exit(f"UHRI {code}: parent {parent} unknown")
        else:
            parent = code[0] if code[0] in uhri else ""  # G2: no G heading in the source
        uhri[code] = ["uhri", code, name, parent, level]
    labels = uprinfo_labels(shared)
    rows = sorted(uhri.values(), key=lambda r: r[1])  # string order is tree order: A, A1, A12, A2, A22, …
    rows += [["uprinfo", label, label, "", 1] for label in labels]
    write(out, "themes.csv", ["vocabulary", "code", "name_en", "parent_code", "level"], rows)

    unknown = {code for codes in UPRINFO_TO_UHRI.values() for code in codes} - set(uhri)
    if unknown or set(UPRINFO_TO_UHRI) - set(labels):
        sys.exit(f"theme mapping: unknown UHRI {unknown} or UPR Info {set(UPRINFO_TO_UHRI) - set(labels)}")
    for label in sorted(set(labels) - set(UPRINFO_TO_UHRI)):
        note(f"UPR Info issue {label!r} is not mapped to UHRI")
    write(
        out,
        "theme_mapping.csv",
        ["from_vocabulary", "from_code", "to_vocabulary", "to_code"],
        [
            ["uprinfo", label, "uhri", code]
            for label in sorted(UPRINFO_TO_UHRI)
            for code in UPRINFO_TO_UHRI[label]
        ],
    )


def affected_groups(shared: Path, out: Path) -> None:
    rows: dict[str, list[str]] = {}
    for row in read_rows(shared / "uhri-taxonomy" / "affected_persons.csv"):
        code = GROUP_CODES.get(row["name"], slug(row["name"]))
        if code in rows:
            sys.exit(f"affected groups: duplicate slug {code}")
        rows[code] = [code, row["name"], row["code"]]  # UHRI gives affected persons no codes: empty
    for code, name in REQUIRED_GROUPS:
        if code not in rows:
            note(f"affected group {code!r} is not in UHRI; added by hand")
            rows[code] = [code, name, ""]
    write(out, "affected_groups.csv", ["code", "name_en", "uhri_code"], [rows[code] for code in sorted(rows)])


def currencies(shared: Path, out: Path) -> None:
    tree = ET.parse(shared / "iati-2.03" / "codelists" / "Currency.xml")  # noqa: S314 - a trusted local file
    rows = []
    for item in tree.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        # The IATI codelist carries no ISO 4217 numeric codes, so `numeric` stays empty.
        rows.append([item.findtext("code").strip(), " ".join(item.findtext("name/narrative").split()), ""])
    write(out, "currencies.csv", ["code", "name_en", "numeric"], sorted(rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the CSV files")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        sys.exit(f"{args.shared}: no such folder (pass --shared PATH)")
    args.out.mkdir(parents=True, exist_ok=True)
    states(args.shared, args.out)
    sdgs(args.shared, args.out)
    themes(args.shared, args.out)
    affected_groups(args.shared, args.out)
    currencies(args.shared, args.out)
    write(args.out, "mechanisms.csv", ["code", "kind", "name_en", "acronym", "parent_code"], MECHANISMS)
    write(args.out, "providers.csv", ["code", "kind", "name_en", "acronym", "iati_org_ref"], PROVIDERS)
    write(args.out, "funds.csv", ["code", "name_en", "acronym"], FUNDS)


if __name__ == "__main__":
    main()
