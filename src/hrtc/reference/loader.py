"""Load the reference data shipped in `reference/data/` into the database, idempotently.

Each run compares every row with what is stored and writes only what differs, so running it
twice changes nothing the second time; every change is audited (new rows in bulk, corrections row by row).
The CSV files are regenerated from ../shared/data by scripts/build_reference_data.py.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlog.registry import auditlog
from django.db import models, transaction

from hrtc.core import audit
from hrtc.core.signals import records_imported
from hrtc.reference.models import (
    UN_LANGUAGES,
    AffectedGroup,
    Currency,
    Fund,
    Mechanism,
    SdgGoal,
    SdgTarget,
    State,
    Theme,
    ThemeMapping,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class ReferenceDataError(Exception):
    pass


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    counts: dict[str, Counts] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(c.created + c.updated for c in self.counts.values())


def read_csv(name: str, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) from a shipped CSV; a missing column or value names file, row and field."""
    path = DATA_DIR / name
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(f"{path}: missing column(s) {', '.join(missing)}")
        for number, row in enumerate(reader, start=2):
            for column in required:
                if not (row.get(column) or "").strip():
                    raise ReferenceDataError(f"{path}, row {number}, field {column!r}: value is empty")
            yield number, {key: (value or "").strip() for key, value in row.items()}


def translations(row: dict[str, str], prefix: str) -> dict[str, str]:
    return {
        lang: row[f"{prefix}_{lang}"] for lang in UN_LANGUAGES if lang != "en" and row.get(f"{prefix}_{lang}")
    }


def flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "x"}


def sync(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, key: str | tuple[str, ...], using: str
) -> Counts:
    """Create or update `model` rows so they equal `rows` (matched on `key`). Never deletes.

    New rows are written in bulk (one INSERT, their audit entries in another) and announced with
    `records_imported`, so that what derives from them (the search index) follows in one batch after the
    load commits: reference data loads after every migrate and every test flush, and row-by-row it was
    most of a flush's time. A changed row (a correction) is saved on its own: audited field by field."""
    keys = (key,) if isinstance(key, str) else key
    manager = model._default_manager.using(using)
    existing = {tuple(getattr(obj, k) for k in keys): obj for obj in manager.all()}
    counts = Counts()
    new: list[models.Model] = []
    for values in rows:
        identity = tuple(values[k] for k in keys)
        obj = existing.get(identity)
        if obj is None:
            obj = model(**values)
            new.append(obj)
            existing[identity] = obj
            counts.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(using=using, update_fields=changed)
            counts.updated += 1
        else:
            counts.unchanged += 1
    written = manager.bulk_create(new, batch_size=500)
    if model in auditlog.get_models():
        audit.created_in_bulk(written)
    announce(model, [obj.pk for obj in written])
    return counts


def announce(model: type[models.Model], ids: list) -> None:
    """Tell the apps deriving data from `model` (search) which rows the load wrote."""
    if ids:
        records_imported.send(sender=model, ids=ids)


def state_rows() -> Iterator[dict[str, Any]]:
    required = ["alpha3", "alpha2", "m49", "name_en", "un_status"]
    for _, row in read_csv("states.csv", required):
        yield {
            "code": row["alpha3"].upper(),
            "alpha2": row["alpha2"].upper(),
            "m49": row["m49"].zfill(3),
            "name": row["name_en"],
            "names": translations(row, "name"),
            "un_status": row["un_status"],
            "regional_group": row["regional_group"],
            "m49_region": row["m49_region"],
            "m49_subregion": row["m49_subregion"],
            "is_ldc": flag(row["ldc"]),
            "is_lldc": flag(row["lldc"]),
            "is_sids": flag(row["sids"]),
        }


def target_position(code: str) -> int:
    """1.1 → 1, 1.7 → 7, 1.a → 101, 1.b → 102: numbered targets first, then the means of implementation."""
    suffix = code.split(".", 1)[1]
    return int(suffix) if suffix.isdigit() else 100 + ord(suffix.lower()) - ord("a") + 1


def load_goals_and_targets(report: LoadReport, using: str) -> None:
    goals = [
        {
            "code": row["code"],
            "number": int(row["code"]),
            "title": row["title_en"],
            "titles": translations(row, "title"),
        }
        for _, row in read_csv("sdg_goals.csv", ["code", "title_en"])
    ]
    report.counts["SDG goals"] = sync(SdgGoal, goals, key="code", using=using)
    targets = [
        {
            "code": row["code"],
            "goal_id": row["goal"],
            "position": target_position(row["code"]),
            "title": row["title_en"],
            "titles": translations(row, "title"),
        }
        for _, row in read_csv("sdg_targets.csv", ["code", "goal", "title_en"])
    ]
    report.counts["SDG targets"] = sync(SdgTarget, targets, key="code", using=using)


def load_themes(report: LoadReport, using: str) -> None:
    rows = list(read_csv("themes.csv", ["vocabulary", "code", "name_en"]))
    known = {(r["vocabulary"], r["code"]) for _, r in rows}
    for number, r in rows:
        if r["parent_code"] and (r["vocabulary"], r["parent_code"]) not in known:
            raise ReferenceDataError(
                f"themes.csv, row {number}, field 'parent_code': unknown theme {r['parent_code']!r}"
            )
    # Parents before their children, a generation at a time, so each theme is created with its parent.
    counts = Counts()
    by_key = {(t.vocabulary, t.code): t for t in Theme.objects.using(using).all()}
    waiting = [r for _, r in rows]
    done: set[tuple[str, str]] = set()
    while waiting:
        ready = [r for r in waiting if not r["parent_code"] or (r["vocabulary"], r["parent_code"]) in done]
        if not ready:
            raise ReferenceDataError("themes.csv: the parent_code column makes a cycle")
        generation = [
            {
                "vocabulary": r["vocabulary"],
                "code": r["code"],
                "name": r["name_en"],
                "level": int(r["level"] or 1),
                "parent_id": by_key[(r["vocabulary"], r["parent_code"])].pk if r["parent_code"] else None,
            }
            for r in ready
        ]
        step = sync(Theme, generation, key=("vocabulary", "code"), using=using)
        counts.created, counts.updated = counts.created + step.created, counts.updated + step.updated
        counts.unchanged += step.unchanged
        keys = [(r["vocabulary"], r["code"]) for r in ready]
        done.update(keys)
        by_key.update(
            {
                (t.vocabulary, t.code): t
                for t in Theme.objects.using(using).filter(code__in={k[1] for k in keys})
            }
        )
        waiting = [r for r in waiting if (r["vocabulary"], r["code"]) not in done]
    report.counts["themes"] = counts

    mappings = []
    for number, r in read_csv(
        "theme_mapping.csv", ["from_vocabulary", "from_code", "to_vocabulary", "to_code"]
    ):
        source = by_key.get((r["from_vocabulary"], r["from_code"]))
        target = by_key.get((r["to_vocabulary"], r["to_code"]))
        if source is None or target is None:
            raise ReferenceDataError(
                f"theme_mapping.csv, row {number}: unknown theme "
                f"{r['from_vocabulary']}:{r['from_code']} or {r['to_vocabulary']}:{r['to_code']}"
            )
        mappings.append({"source_id": source.pk, "target_id": target.pk})
    report.counts["theme mappings"] = sync(
        ThemeMapping, mappings, key=("source_id", "target_id"), using=using
    )


def simple(filename: str, required: list[str], build: Callable[[dict[str, str]], dict[str, Any]]):
    return [build(row) for _, row in read_csv(filename, required)]


def load_mechanisms(report: LoadReport, using: str) -> None:
    rows = simple(
        "mechanisms.csv",
        ["code", "kind", "name_en"],
        lambda r: {
            "code": r["code"],
            "kind": r["kind"],
            "name": r["name_en"],
            "acronym": r["acronym"],
            "parent_id": r["parent_code"] or None,
        },
    )
    # Parents first, so a mandate's parent exists when the mandate is created.
    rows.sort(key=lambda r: r["parent_id"] is not None)
    report.counts["mechanisms"] = sync(Mechanism, rows, key="code", using=using)


#: Reference rows other apps keep (name → load(using=...) → Counts), loaded in the same transaction;
#: registered from their AppConfig.ready() (accounts: the provider organisations).
LOADERS: dict[str, Callable[..., Counts]] = {}


def add_loader(name: str, load: Callable[..., Counts]) -> None:
    LOADERS[name] = load


@transaction.atomic
def load_reference(*, using: str = "default", quiet: bool = True) -> LoadReport:
    report = LoadReport()
    report.counts["States"] = sync(State, state_rows(), key="code", using=using)
    load_mechanisms(report, using)
    load_goals_and_targets(report, using)
    load_themes(report, using)
    report.counts["affected groups"] = sync(
        AffectedGroup,
        simple(
            "affected_groups.csv",
            ["code", "name_en"],
            lambda r: {"code": r["code"], "name": r["name_en"], "uhri_code": r["uhri_code"]},
        ),
        key="code",
        using=using,
    )
    report.counts["currencies"] = sync(
        Currency,
        simple(
            "currencies.csv",
            ["code", "name_en"],
            lambda r: {"code": r["code"], "name": r["name_en"], "numeric": r["numeric"]},
        ),
        key="code",
        using=using,
    )
    report.counts["funds"] = sync(
        Fund,
        simple(
            "funds.csv",
            ["code", "name_en"],
            lambda r: {"code": r["code"], "name": r["name_en"], "acronym": r["acronym"]},
        ),
        key="code",
        using=using,
    )
    for name, load in LOADERS.items():  # other apps' reference rows (accounts: provider organisations)
        report.counts[name] = load(using=using)
    if not quiet:
        for name, counts in report.counts.items():
            sys.stdout.write(f"  {name}: {counts}\n")  # migrate -v2 shows what the load changed
    return report
