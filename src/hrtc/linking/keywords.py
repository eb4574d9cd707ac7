"""The keyword baseline: what public SDG keyword mappings do (a curated term list per goal, a label
when any term occurs), in English, French and Spanish. Kept as the yardstick the classifier must beat,
and as a fallback explanation ("which words point to this goal").

Terms are matched as word prefixes on accent-folded, lower-cased text: "discriminat" matches
"discrimination" and "discriminatoire". Theme terms are the words of the UPR Info issue names plus a
few synonyms, the way a keyword tagger would be set up from a label list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: SDG goal → terms (en / fr / es), in the spirit of the SDSN and Aurora keyword lists.
SDG_TERMS: dict[str, tuple[str, ...]] = {
    "1": (
        "poverty",
        "poor",
        "social protection",
        "social security",
        "pauvret",
        "protection sociale",
        "pobreza",
        "proteccion social",
        "seguridad social",
    ),
    "2": (
        "hunger",
        "food",
        "malnutrition",
        "nutrition",
        "agricultur",
        "faim",
        "aliment",
        "hambre",
        "agricola",
    ),
    "3": (
        "health",
        "maternal mortality",
        "hiv",
        "aids",
        "disease",
        "medical",
        "drug abuse",
        "sante",
        "salud",
        "sanitari",
        "vih",
        "sida",
    ),
    "4": (
        "education",
        "school",
        "literacy",
        "teacher",
        "ecole",
        "scolar",
        "alphabetisation",
        "educacion",
        "escuela",
        "alfabetizacion",
    ),
    "5": (
        "women",
        "girl",
        "gender",
        "female genital",
        "domestic violence",
        "femme",
        "fille",
        "genre",
        "mujer",
        "nina",
        "genero",
        "violencia domestica",
    ),
    "6": ("water", "sanitation", "hygiene", "eau", "assainissement", "agua", "saneamiento"),
    "7": ("energy", "electricity", "energie", "electricite", "energia", "electricidad"),
    "8": (
        "employment",
        "labour",
        "labor",
        "decent work",
        "child labour",
        "forced labour",
        "worker",
        "unemployment",
        "economic growth",
        "emploi",
        "travail",
        "travailleur",
        "empleo",
        "trabajo",
        "trabajador",
    ),
    "9": ("infrastructure", "industr", "innovation", "internet access", "infraestructura"),
    "10": (
        "inequalit",
        "discriminat",
        "migrant",
        "minorit",
        "roma",
        "racism",
        "racial",
        "xenophob",
        "inclusion",
        "inegalit",
        "desigualdad",
        "racisme",
        "racismo",
    ),
    "11": ("housing", "urban", "slum", "homeless", "disaster", "logement", "vivienda", "urbain", "urbano"),
    "12": ("consumption", "waste", "sustainable production", "consommation", "dechet", "consumo", "desecho"),
    "13": ("climate", "climat", "clima"),
    "14": ("ocean", "marine", "fisher", "sea", "ocea", "marin", "mer", "pesca", "peche"),
    "15": (
        "forest",
        "biodiversity",
        "land degradation",
        "desertification",
        "foret",
        "bosque",
        "biodiversite",
        "biodiversidad",
    ),
    "16": (
        "justice",
        "violence",
        "peace",
        "corruption",
        "torture",
        "trafficking",
        "birth registration",
        "institution",
        "rule of law",
        "police",
        "prison",
        "detention",
        "court",
        "judicia",
        "human rights defender",
        "freedom of expression",
        "journalist",
        "death penalty",
        "paix",
        "traite",
        "tribunal",
        "justicia",
        "paz",
        "trata",
        "tortura",
        "corrupcion",
    ),
    "17": (
        "partnership",
        "cooperation",
        "development assistance",
        "official development",
        "technical assistance",
        "capacity-building",
        "capacity building",
        "statistic",
        "partenariat",
        "cooperacion",
        "asistencia tecnica",
        "aide au developpement",
    ),
}

#: Synonyms added to the words of a UPR Info issue name (its own words are always terms).
THEME_SYNONYMS: dict[str, tuple[str, ...]] = {
    "International instruments": ("ratif", "accede", "accession", "optional protocol", "convention"),
    "Women's rights": ("women", "woman", "gender", "girl"),
    "Rights of the Child": ("child", "children", "minor", "juvenile"),
    "Torture and other CID treatment": ("torture", "ill-treatment", "degrading"),
    "Treaty bodies": ("committee", "treaty bod", "reporting obligations"),
    "Special procedures": ("special rapporteur", "special procedure", "standing invitation"),
    "Justice": ("judicia", "court", "impunity", "fair trial"),
    "Detention conditions": ("prison", "detention", "detainee"),
    "Death penalty": ("death penalty", "moratorium", "capital punishment", "execution"),
    "Racial discrimination": ("racial", "racism", "xenophob"),
    "Human rights defenders": ("human rights defender",),
    "Freedom of opinion and expression": ("expression", "journalist", "media", "press"),
    "Right to education": ("education", "school"),
    "Right to health": ("health",),
    "Trafficking": ("trafficking",),
    "Persons with disabilities": ("disabilit", "disabled"),
    "LGBTI": ("sexual orientation", "gender identity", "lgbt", "homosexual"),
    "Labour": ("labour", "labor", "worker", "employment"),
    "Migrants": ("migrant",),
    "Asylum-seekers - refugees": ("asylum", "refugee"),
    "NHRI": ("national human rights institution", "paris principles", "ombudsman"),
    "Human rights education and training": ("training", "awareness", "human rights education"),
    "Technical assistance and cooperation": (
        "technical assistance",
        "technical cooperation",
        "capacity-building",
        "capacity building",
    ),
    "Civil society": ("civil society", "ngo", "non-governmental"),
    "Minorities": ("minorit", "roma"),
    "Indigenous peoples": ("indigenous",),
    "Impunity": ("impunity", "accountab"),
    "Enforced disappearances": ("disappearance",),
    "Poverty": ("poverty", "poor"),
    "Elections": ("election", "electoral"),
    "Freedom of religion and belief": ("religio", "belief"),
    "Freedom of association and peaceful assembly": ("association", "assembly", "demonstrat"),
    "Economic, social and cultural rights - general": ("economic, social and cultural",),
}

STOP = frozenset(
    {
        "and",
        "of",
        "the",
        "to",
        "other",
        "general",
        "right",
        "rights",
        "a",
        "in",
        "-",
        "cid",
        "persons",
        "with",
    }
)


def fold(text: str) -> str:
    """Lower-case, accents stripped, punctuation to spaces, padded with spaces for prefix matching."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " " + " ".join(re.sub(r"[^\w\-]+", " ", text).split()) + " "


def theme_terms(name: str) -> tuple[str, ...]:
    words = tuple(w for w in fold(name).split() if w not in STOP and len(w) > 2)
    return words + THEME_SYNONYMS.get(name, ())


class KeywordTagger:
    """Labels a text with every label one of whose terms starts a word in it."""

    def __init__(self, terms: dict[str, Iterable[str]]):
        self.labels = list(terms)
        self.patterns = [
            re.compile("|".join(" " + re.escape(fold(t).strip()) for t in sorted(ts)) or r"(?!x)x")
            for ts in terms.values()
        ]

    def tag(self, text: str) -> set[str]:
        folded = fold(text)
        return {
            label for label, pattern in zip(self.labels, self.patterns, strict=True) if pattern.search(folded)
        }

    def tag_many(self, texts: Iterable[str]) -> list[set[str]]:
        return [self.tag(t) for t in texts]


def sdg_tagger() -> KeywordTagger:
    return KeywordTagger(SDG_TERMS)


def theme_tagger(names: Iterable[str]) -> KeywordTagger:
    return KeywordTagger({name: theme_terms(name) for name in names})
