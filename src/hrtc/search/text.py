"""One text pipeline for both engines: the same normalised tokens go into SQLite FTS5 and PostgreSQL
full-text search, so results do not depend on the engine.

* case and accents folded (é → e, ё → е) where users expect;
* Arabic normalised: diacritics and tatweel removed, alef forms (أ إ آ ٱ) → ا, ى → ي, ة → ه;
* English, French, Spanish and Russian words indexed as written and as their Snowball stem (in the
  document's language); a query term matches any of its stems, so the query needs no language;
* Chinese, Japanese and Korean runs become character unigrams and bigrams, so text without word
  spaces is searchable.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

STEMMED = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
#: A Latin-script query word is stemmed in each of these, since a query does not say its language.
QUERY_LANGUAGES = ("en", "fr", "es")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


@lru_cache(maxsize=8)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMED[language])


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_cjk(word: str) -> bool:
    return bool(_CJK.fullmatch(word))


def _cjk_grams(run: str) -> list[str]:
    return list(run) + [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """Folded tokens of `text`, with CJK runs split into character grams (no stemming)."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        pieces = _CJK.split(word)
        out.extend(p for p in pieces if p)
        for run in _CJK.findall(word):
            out.extend(_cjk_grams(run))
    return out


def _raw_words(text: str) -> list[str]:
    """Words as written (NFKC, case folded, accents kept): what the Snowball stemmers expect."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def _script_language(word: str) -> str | None:
    """Arabic and Cyrillic words are stemmed as Arabic and Russian whatever the document's language."""
    if _ARABIC.search(word):
        return "ar"
    if _CYRILLIC.search(word):
        return "ru"
    return None


@lru_cache(maxsize=200_000)
def _forms(raw: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """A word as the engines see it: folded, plus its stems — from the word as written (Snowball's input:
    'питьевой' keeps its й, 'égalité' its accents) and from the folded word (what a user types without
    accents) — all folded."""
    folded = fold(raw)
    out = [folded] if folded else []
    for language in languages:
        stemmer = _stemmer(language)
        for stem in (fold(stemmer.stemWord(raw)), stemmer.stemWord(folded)):
            if stem and stem not in out:
                out.append(stem)
    return tuple(out)  # cached: words repeat across documents, and stemming is most of indexing's cost


def index_text(text: str, language: str) -> str:
    """What the engines index for a document in `language`: every token, plus its stems when they differ. A
    document whose language is not disclosed (``""``) is stemmed as a query is (English, French, Spanish)."""
    out: list[str] = []
    for raw in _raw_words(text):
        if _CJK.search(raw):
            out.extend(tokens(raw))
            continue
        script = _script_language(raw)
        if script:
            languages = (script,)
        elif not language:
            languages = QUERY_LANGUAGES
        else:
            languages = (language,) if language in STEMMED else ()
        out.extend(_forms(raw, languages))
    return " ".join(out)


def query_terms(query: str) -> list[list[str]]:
    """Each query word with its alternatives (as typed, folded, and its stems in every language its script
    allows); CJK runs as character grams."""
    terms: list[list[str]] = []
    for raw in _raw_words(query):
        if len(terms) >= 12:
            break
        if _CJK.search(raw):
            terms.extend([gram] for gram in tokens(raw))
            continue
        script = _script_language(raw)
        forms = _forms(raw, (script,) if script else QUERY_LANGUAGES)
        if forms:
            terms.append(sorted(set(forms)))
    return terms[:12]
