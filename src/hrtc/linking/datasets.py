"""Labelled examples for training and evaluation, and the held-out split.

Sources, all shipped (nothing is downloaded):

* ``sdg-framework``: the 17 goal and 169 target titles in the six UN languages (reference data in the
  database), each an example of its goal. Reference texts, never held out, never evaluated on.
* ``ohchr-matrix``: OHCHR's own SDG labels of Slovenia's UPR recommendations (cycles 3–4), from
  ``ohchr-upr-matrices-slovenia`` in the shared data when it is there, else the excerpt in
  ``linking/data/``.
* ``upr-info``: UPR Info's issue labels (54 themes, multi-label) of UPR recommendations, sessions 1–17,
  from ``upr-info-sessions-1-17`` when it is there, else the excerpt.
* ``database``: recommendations whose import brought SDG goals or UPR Info themes, and links people
  accepted (so corrections feed the next model).

The split is by the normalised text (paragraph numbers and the "(State)" suffixes stripped), hashed with
a fixed seed: the same recommendation from two sources, or repeated for each co-sponsor, falls on the
same side, and a record whose text is held out for any task it is labelled for is never trained on.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
SPLIT_SEED = "hrtc-linking-split-1"
#: Share of labelled records held out, per task. SDG labels are scarce, so half of them.
HELD_OUT = {"goals": 0.5, "themes": 0.2}
GOALS = [str(n) for n in range(1, 18)]
UPRINFO = "uprinfo"

OHCHR_MATRIX = "ohchr-upr-matrices-slovenia/slovenia_upr_thematic_lists_cycles2-4.csv"
UPRINFO_GLOB = "upr-info-sessions-1-17/recommendations_sessions_*.csv"
EXCERPT_OHCHR = "ohchr_slovenia_sdg_labels.csv"
EXCERPT_UPRINFO = "uprinfo_issue_labels.csv"


def shared_data_dir() -> Path | None:
    """The shared real data beside the repository (or HRTC_SHARED_DATA), if present."""
    configured = os.environ.get("HRTC_SHARED_DATA")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "data")
    return next((c for c in candidates if (c / OHCHR_MATRIX).is_file()), None)


_PARAGRAPH = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")
_TRAILING_STATES = re.compile(r"(\s*\([^()]*(\([^()]*\)[^()]*)*\))+\s*[;.]?\s*$")


def normalise(text: str) -> str:
    """The identity of a recommendation's wording for the split and de-duplication."""
    text = _TRAILING_STATES.sub("", _PARAGRAPH.sub("", text.casefold()))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def held_out(key: str, task: str) -> bool:
    digest = hashlib.sha256(f"{SPLIT_SEED}\x1f{task}\x1f{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < HELD_OUT[task]


@dataclass
class Example:
    text: str
    source: str
    goals: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    reference: bool = False  # an SDG title: training only
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = normalise(self.text) if not self.reference else f"ref\x1f{self.text}"

    @property
    def tasks(self) -> list[str]:
        return [task for task, labels in (("goals", self.goals), ("themes", self.themes)) if labels]

    @property
    def is_held_out(self) -> bool:
        return not self.reference and any(held_out(self.key, task) for task in self.tasks)


@dataclass
class Dataset:
    train: list[Example]
    held_out: list[Example]

    def evaluation(self, task: str) -> list[Example]:
        """Held-out records labelled for `task` whose text the split holds out for that task."""
        return [e for e in self.held_out if getattr(e, task) and held_out(e.key, task)]

    def counts(self) -> dict:
        def by_source(examples: list[Example], task: str) -> dict[str, int]:
            result: dict[str, int] = {}
            for e in examples:
                if getattr(e, task):
                    result[e.source] = result.get(e.source, 0) + 1
            return dict(sorted(result.items()))

        return {
            "train": {task: by_source(self.train, task) for task in HELD_OUT},
            "held_out": {task: by_source(self.evaluation(task), task) for task in HELD_OUT},
        }


def merge(sources: Iterable[Iterable[Example]]) -> list[Example]:
    """One example per normalised text: the first source's text, every source's labels."""
    merged: dict[str, Example] = {}
    for source in sources:
        for example in source:
            if not example.key:
                continue
            found = merged.get(example.key)
            if found is None:
                merged[example.key] = example
            else:
                found.goals |= example.goals
                found.themes |= example.themes
    return sorted(merged.values(), key=lambda e: e.key)


def split(examples: Iterable[Example]) -> Dataset:
    examples = list(examples)
    return Dataset(
        train=[e for e in examples if not e.is_held_out], held_out=[e for e in examples if e.is_held_out]
    )


# -- readers ------------------------------------------------------------------------------------------
def sdg_framework() -> Iterator[Example]:
    from hrtc.reference.models import SdgGoal, SdgTarget

    for goal in SdgGoal.objects.all():
        for title in {goal.title, *goal.titles.values()}:
            yield Example(title, "sdg-framework", goals=frozenset({goal.code}), reference=True)
    for target in SdgTarget.objects.all():
        for title in {target.title, *target.titles.values()}:
            yield Example(title, "sdg-framework", goals=frozenset({target.goal_id}), reference=True)


def ohchr_matrix(path: Path) -> Iterator[Example]:
    """Rows of the OHCHR matrix CSV (or its excerpt) that carry OHCHR's SDG goals."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            goals = frozenset(g.strip() for g in row["sdg_goals"].split("|") if g.strip() in GOALS)
            if goals and row["text"].strip():
                yield Example(row["text"].strip(), "ohchr-matrix", goals=goals)


def uprinfo(paths: Iterable[Path]) -> Iterator[Example]:
    """Rows of UPR Info exports (or the excerpt): the `Text` and its comma-separated `Issue` labels."""
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                themes = frozenset(f"{UPRINFO}:{i.strip()}" for i in row["Issue"].split(",") if i.strip())
                if themes and row["Text"].strip():
                    yield Example(row["Text"].strip(), "upr-info", themes=themes)


def _imported_labels(linkable) -> Iterator[Example]:
    """A linkable model's records labelled by their import: their SDG goals and UPR Info themes."""
    model = linkable.model
    goal_field = model._meta.get_field(linkable.imported_goals)
    theme_field = model._meta.get_field(linkable.imported_themes)
    labelled = model.objects.filter(**{f"{linkable.imported_goals}__isnull": False}) | model.objects.filter(
        **{f"{linkable.imported_themes}__vocabulary": UPRINFO}
    )
    goals: dict[int, set[str]] = {}
    themes: dict[int, set[str]] = {}
    source, target = goal_field.m2m_field_name(), goal_field.m2m_reverse_field_name()
    for pk, goal in goal_field.remote_field.through.objects.values_list(f"{source}_id", f"{target}_id"):
        goals.setdefault(pk, set()).add(goal)
    source, target = theme_field.m2m_field_name(), theme_field.m2m_reverse_field_name()
    rows = theme_field.remote_field.through.objects.filter(**{f"{target}__vocabulary": UPRINFO})
    for pk, code in rows.values_list(f"{source}_id", f"{target}__code"):
        themes.setdefault(pk, set()).add(f"{UPRINFO}:{code}")
    texts = dict(labelled.distinct().values_list("pk", linkable.text_fields[0]).iterator())
    for pk, text in texts.items():
        yield Example(
            text, "database", goals=frozenset(goals.get(pk, ())), themes=frozenset(themes.get(pk, ()))
        )


def from_database() -> Iterator[Example]:
    """Recommendations labelled by their import, and links people accepted or added."""
    from hrtc.linking.choices import LinkKind, LinkStatus
    from hrtc.linking.models import Link
    from hrtc.linking.subjects import LINKABLE

    for linkable in LINKABLE.values():  # records whose import brought SDG goals (recommendations)
        if linkable.imported_goals and linkable.imported_themes:
            yield from _imported_labels(linkable)
    people = Link.objects.filter(status=LinkStatus.ACCEPTED).exclude(source="import").filter(
        reviewed_by__isnull=False
    ) | Link.objects.filter(source="human", status=LinkStatus.ACCEPTED)
    for linkable in LINKABLE.values():
        decided = people.filter(
            content_type__app_label=linkable.app_label, content_type__model=linkable.model_name
        )
        by_subject: dict[int, list] = {}
        for link in decided.select_related("theme"):
            if link.kind == LinkKind.GOAL or link.theme.vocabulary == UPRINFO:
                by_subject.setdefault(link.object_id, []).append(link)
        for subject in linkable.queryset().filter(pk__in=list(by_subject)):
            links = by_subject[subject.pk]
            yield Example(
                linkable.text(subject),
                "database",
                goals=frozenset(lk.goal_id for lk in links if lk.kind == LinkKind.GOAL),
                themes=frozenset(lk.theme.key for lk in links if lk.kind == LinkKind.THEME),
            )


def shipped_files(shared: Path | None) -> tuple[list[Path], list[Path]]:
    """(OHCHR matrix files, UPR Info files): the shared data when present, else the excerpt."""
    if shared is not None:
        return [shared / OHCHR_MATRIX], sorted(shared.glob(UPRINFO_GLOB))
    return [PACKAGE_DATA / EXCERPT_OHCHR], [PACKAGE_DATA / EXCERPT_UPRINFO]


def build(*, shared: Path | None = None, database: bool = True, excerpt_only: bool = False) -> Dataset:
    """All labelled examples, merged and split."""
    shared = None if excerpt_only else (shared or shared_data_dir())
    matrices, exports = shipped_files(shared)
    sources: list[Iterable[Example]] = [
        sdg_framework(),
        *(ohchr_matrix(p) for p in matrices),
        uprinfo(exports),
    ]
    if database:
        sources.append(from_database())
    return split(merge(sources))
