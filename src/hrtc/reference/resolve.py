"""Resolve the names that files use for States, themes and groups to reference records.

Files name States in many ways ("St Lucia", "Türkiye"/"Turkey", "Venezuela (Bolivarian Republic of)",
"United Kingdom"): a name matches an ISO code, the English or any UN-language name, or a curated alias
(data/state_aliases.csv), after folding case, accents, punctuation and "the".
"""

from __future__ import annotations

import re
import unicodedata

from hrtc.reference.loader import read_csv
from hrtc.reference.models import State

_ARTICLES = re.compile(r"\b(the|of the)\b")


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("’", "'")
    text = re.sub(r"\bst\.? ", "saint ", text)
    text = re.sub(r"[^\w']+", " ", text)
    text = _ARTICLES.sub(" ", text.replace("'", ""))
    return " ".join(text.split())


class StateResolver:
    """Name → State code, built once per import (a few hundred entries)."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        for state in State.objects.all():
            for name in (state.code, state.alpha2, state.name, *state.names.values()):
                self.by_key.setdefault(normalise_name(name), state.code)
        for _, row in read_csv("state_aliases.csv", ["alias", "alpha3"]):
            self.by_key[normalise_name(row["alias"])] = row["alpha3"].upper()

    def resolve(self, name: str) -> str | None:
        return self.by_key.get(normalise_name(name)) if name and name.strip() else None
