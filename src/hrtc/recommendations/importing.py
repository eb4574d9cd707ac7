"""Import recommendations and pledges from a file: streaming, idempotent, all-or-nothing.

* Streaming: records are read and written in chunks, so memory does not grow with the file, except
  for one 8-byte digest per distinct recommendation (to merge the rows of a joint recommendation,
  which UPR Info repeats once per co-sponsor, wherever they are in the file).
* Idempotent: each record has a natural key (a hash of the source's identity of the record). A
  re-import updates what changed and leaves the rest: it reports created / updated / unchanged.
  Links (recommending States, themes, groups, SDGs) are added, never removed by an import, so
  what people added by hand survives.
* All-or-nothing: the whole import runs in one transaction; the first bad row raises
  `ImportRefused` naming the file, row and field, and nothing is written.
* Audited: one audit event per import (who, file, SHA-256, counts) on its ImportRun (`core.models`), every
  record points to its batch, and every updated record gets an audit entry with its changes.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, reset_queries, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.text import slugify

from hrtc.accounts import policy
from hrtc.core import audit
from hrtc.core.exceptions import ImportRefused, ImportRowError
from hrtc.core.models import ImportRun
from hrtc.core.signals import records_imported
from hrtc.recommendations.choices import Response
from hrtc.recommendations.importers import detect
from hrtc.recommendations.importers.records import PledgeRecord, RecommendationRecord
from hrtc.recommendations.models import Pledge, Recommendation
from hrtc.reference.choices import ThemeVocabulary
from hrtc.reference.models import AffectedGroup, Mechanism, SdgGoal, SdgTarget, Theme
from hrtc.reference.resolve import StateResolver, normalise_name

CHUNK = 2000
#: Formats whose vocabularies evolve (OHCHR's post-2020 themes have no codes): unknown themes and
#: groups are added to the vocabulary. hrtc's own template is strict: unknown names are errors.
LENIENT_FORMATS = {"ohchr-matrix", "uhri", "uprinfo"}
RESPONSES = frozenset(Response.values)
VOCABULARIES = frozenset(ThemeVocabulary.values)
SCALAR_FIELDS = (
    "text",
    "language",
    "cycle",
    "session",
    "date",
    "document_symbol",
    "paragraph",
    "response",
    "response_source",
    "action_category",
    "recommending_body",
    "state_under_review_id",
    "mechanism_id",
)
PLEDGE_FIELDS = ("text", "language", "cycle", "session", "date", "state_id")


@dataclass
class ImportReport:
    file: str
    format: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged_rows: int = 0
    pledges_created: int = 0
    pledges_updated: int = 0
    pledges_unchanged: int = 0
    new_themes: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    batch_id: int | None = None
    seconds: float = 0.0

    @property
    def recommendations(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.file} ({self.format}): {self.rows_read} rows; recommendations {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged ({self.merged_rows} rows merged into joint "
            f"recommendations); pledges {self.pledges_created} created, {self.pledges_updated} updated, "
            f"{self.pledges_unchanged} unchanged; {len(self.new_themes)} new themes, "
            f"{len(self.new_groups)} new affected groups; {self.seconds:.1f} s"
        )


def digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()


def normalise_text(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


class Resolver:
    """Resolves names in records to reference ids, refusing (or, for lenient formats, adding) unknowns."""

    def __init__(self, file: str, fmt: str, report: ImportReport):
        self.file, self.lenient, self.report = file, fmt in LENIENT_FORMATS, report
        self.states = StateResolver()
        self.state_cache: dict[str, str | None] = {}
        self.mechanisms = {}
        for m in Mechanism.objects.all():
            for name in (m.code, m.acronym, m.name):
                if name:
                    self.mechanisms[normalise_name(name)] = m.code
        self.themes: dict[str, int] = {}
        self.theme_names: dict[str, int] = {}
        for t in Theme.objects.all():
            self.themes[t.key.casefold()] = t.pk
            self.theme_names.setdefault(normalise_name(t.name), t.pk)
        self.groups: dict[str, str] = {}
        for g in AffectedGroup.objects.all():
            for name in (g.code, g.name, g.uhri_code):
                if name:
                    self.groups[normalise_name(name)] = g.code
        self.goals = set(SdgGoal.objects.values_list("code", flat=True))
        self.targets = set(SdgTarget.objects.values_list("code", flat=True))

    def error(self, row: int, field_name: str, reason: str) -> ImportRowError:
        return ImportRowError(self.file, row, field_name, reason)

    def state(self, name: str, row: int, field_name: str) -> str:
        code = self.state_cache.get(name)
        if code is None:
            code = self.state_cache[name] = self.states.resolve(name)
        if code is None:
            raise self.error(
                row, field_name, f"unknown State {name!r} (use an ISO 3166 alpha-3 code or a UN name)"
            )
        return code

    def mechanism(self, name: str, row: int) -> str:
        code = self.mechanisms.get(normalise_name(name))
        if code is None:
            raise self.error(
                row,
                "mechanism",
                f"unknown mechanism {name!r}; use UPR, a treaty-body code "
                f"(CCPR, CESCR, CERD, CEDAW, CAT, SPT, CRC, CMW, CRPD, CED) or SP",
            )
        return code

    def theme(self, value: str, row: int) -> int:
        vocabulary, _, code = value.partition(":")
        if code and vocabulary in VOCABULARIES:
            found = self.themes.get(value.casefold())
            if found is not None:
                return found
            if self.lenient:
                return self._new_theme(vocabulary, code, code)
            raise self.error(row, "themes", f"unknown theme {value!r}")
        name = code if vocabulary == "uhri-name" else value
        found = self.theme_names.get(normalise_name(name))
        if found is not None:
            return found
        if self.lenient:
            return self._new_theme(ThemeVocabulary.UHRI, name[:200], name)
        raise self.error(
            row, "themes", f"unknown theme {value!r}; use a key such as uhri:B31 or a theme name"
        )

    def _new_theme(self, vocabulary: str, code: str, name: str) -> int:
        theme, _ = Theme.objects.get_or_create(
            vocabulary=vocabulary, code=code, defaults={"name": name[:500]}
        )
        self.themes[theme.key.casefold()] = theme.pk
        self.theme_names.setdefault(normalise_name(name), theme.pk)
        self.report.new_themes.append(theme.key)
        return theme.pk

    def group(self, name: str, row: int) -> str:
        code = self.groups.get(normalise_name(name))
        if code is not None:
            return code
        if not self.lenient:
            raise self.error(row, "affected_groups", f"unknown affected group {name!r}")
        code = slugify(name)[:80] or "unnamed"
        group, _ = AffectedGroup.objects.get_or_create(code=code, defaults={"name": name[:500]})
        self.groups[normalise_name(name)] = group.code
        self.report.new_groups.append(group.code)
        return group.code

    def goal(self, code: str, row: int) -> str:
        code = code.strip()
        if code not in self.goals:
            raise self.error(row, "sdg_goals", f"unknown SDG goal {code!r} (1 to 17)")
        return code

    def target(self, code: str, row: int) -> str:
        code = code.strip()
        if code not in self.targets:
            raise self.error(row, "sdg_targets", f"unknown SDG target {code!r} (e.g. 5.2, 16.a)")
        return code


@dataclass
class Resolved:
    key: str
    fields: dict
    fingerprint: str
    links: dict[str, set]  # m2m name → ids


def common_fields(rec: RecommendationRecord | PledgeRecord) -> dict:
    """What recommendations and pledges share (the `Trackable` fields)."""
    return {
        "text": rec.text.strip(),
        "language": rec.language or "en",
        "cycle": rec.cycle,
        "session": rec.session,
        "date": rec.date,
    }


def resolve_recommendation(rec: RecommendationRecord, r: Resolver) -> Resolved:
    if not rec.text.strip():
        raise r.error(rec.row, "text", "the recommendation text is empty")
    if rec.response and rec.response not in RESPONSES:
        raise r.error(
            rec.row, "response", f"unknown response {rec.response!r}; use one of {', '.join(Response.values)}"
        )
    if rec.action_category is not None and not 1 <= rec.action_category <= 5:
        raise r.error(rec.row, "action_category", "the UPR Info action category is 1 to 5")
    sur = r.state(rec.state_under_review, rec.row, "state_under_review")
    mechanism = r.mechanism(rec.mechanism, rec.row)
    fields = {
        **common_fields(rec),
        "document_symbol": rec.document_symbol,
        "paragraph": rec.paragraph,
        "response": rec.response,
        "response_source": rec.response_source,
        "action_category": rec.action_category,
        "recommending_body": rec.recommending_body,
        "state_under_review_id": sur,
        "mechanism_id": mechanism,
    }
    if rec.external_id:
        key = digest("external", rec.external_id)
    elif rec.document_symbol and rec.paragraph:
        key = digest("paragraph", sur, mechanism, rec.document_symbol, rec.paragraph)
    else:
        key = digest("text", sur, mechanism, rec.cycle, rec.session, normalise_text(rec.text))
    links = {
        "recommending_states": {
            r.state(name, rec.row, "recommending_states") for name in rec.recommending_states
        },
        "themes": {r.theme(t, rec.row) for t in rec.themes},
        "affected_groups": {r.group(g, rec.row) for g in rec.affected_groups},
        "sdg_goals": {r.goal(g, rec.row) for g in rec.sdg_goals},
        "sdg_targets": {r.target(t, rec.row) for t in rec.sdg_targets},
    }
    return Resolved(key, fields, digest(*(fields[f] for f in SCALAR_FIELDS)), links)


def resolve_pledge(rec: PledgeRecord, r: Resolver) -> Resolved:
    if not rec.text.strip():
        raise r.error(rec.row, "text", "the pledge text is empty")
    state = r.state(rec.state, rec.row, "state")
    fields = {**common_fields(rec), "state_id": state}
    key = (
        digest("external", rec.external_id)
        if rec.external_id
        else digest("pledge", state, rec.session, normalise_text(rec.text))
    )
    return Resolved(
        key,
        fields,
        digest(*(fields[f] for f in PLEDGE_FIELDS)),
        {"themes": {r.theme(t, rec.row) for t in rec.themes}},
    )


class ChunkWriter:
    """Writes resolved records of one model in chunks.

    New rows and link rows go in with one `executemany` each (the ORM's per-value compilation cost
    more than everything else together); changed rows go through the ORM with an audit entry each.
    """

    def __init__(self, model, scalar_fields: tuple[str, ...], batch: ImportRun, fmt: str, actor):
        self.model, self.scalar_fields, self.batch, self.format, self.actor = (
            model,
            scalar_fields,
            batch,
            fmt,
            actor,
        )
        self.seen: set[int] = set()  # 8-byte digests of keys already written by this import
        self.created = self.updated = self.unchanged = self.merged = 0
        self.content_type = ContentType.objects.get_for_model(model)
        opts = model._meta
        self.insert_fields = [
            f for f in opts.concrete_fields if not f.primary_key and f.name not in {"cluster"}
        ]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.insert_fields)
        marks = ", ".join(["%s"] * len(self.insert_fields))
        self.insert_sql = (
            f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from model metadata, values bound
        )
        self.temporal = {f.name for f in self.insert_fields if isinstance(f, models.DateField)}

    def _row(self, values: dict) -> list:
        return [
            f.get_db_prep_save(values[f.attname], connection)
            if f.name in self.temporal
            else values[f.attname]
            for f in self.insert_fields
        ]

    def write(self, chunk: list[Resolved]) -> None:
        keys = {item.key for item in chunk}
        existing = {
            key: (pk, fingerprint)
            for key, pk, fingerprint in self.model.objects.filter(natural_key__in=keys).values_list(
                "natural_key", "pk", "fingerprint"
            )
        }
        now = timezone.now()
        new_rows: dict[str, list] = {}
        changed: dict[str, Resolved] = {}
        unchanged_now: set[str] = set()
        for item in chunk:
            short = int(item.key[:16], 16)
            if short in self.seen:
                self.merged += 1
                continue
            self.seen.add(short)
            found = existing.get(item.key)
            if found is None:
                new_rows[item.key] = self._row(
                    {
                        **item.fields,
                        "natural_key": item.key,
                        "fingerprint": item.fingerprint,
                        "public_status": "",
                        "source_format": self.format,
                        "import_batch_id": self.batch.pk,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            elif found[1] == item.fingerprint:
                self.unchanged += 1
                unchanged_now.add(item.key)
            else:
                changed[item.key] = item
        if new_rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.insert_sql, list(new_rows.values()))
            self.created += len(new_rows)
            existing.update(
                {
                    key: (pk, None)
                    for key, pk in self.model.objects.filter(natural_key__in=list(new_rows)).values_list(
                        "natural_key", "pk"
                    )
                }
            )
        if changed:
            self._update(changed)
        ids = {key: value[0] for key, value in existing.items()}
        self._add_links(chunk, ids, unchanged_now)
        written = [ids[key] for key in (*new_rows, *changed)]
        if written:
            records_imported.send(sender=self.model, ids=written)

    def _update(self, changed: dict[str, Resolved]) -> None:
        objects = list(self.model.objects.filter(natural_key__in=list(changed)))
        entries = []
        for obj in objects:
            item = changed[obj.natural_key]
            diff = {f: [str(getattr(obj, f)), str(v)] for f, v in item.fields.items() if getattr(obj, f) != v}
            for name, value in item.fields.items():
                setattr(obj, name, value)
            obj.fingerprint, obj.import_batch = item.fingerprint, self.batch
            entries.append(
                LogEntry(
                    content_type=self.content_type,
                    object_pk=str(obj.pk),
                    object_id=obj.pk,
                    object_repr=str(obj)[:2000],
                    action=LogEntry.Action.UPDATE,
                    changes=diff,
                    actor=audit._real_user(self.actor),
                    additional_data={"event": "import.update", "import_batch": self.batch.pk},
                )
            )
        self.model.objects.bulk_update(
            objects, [*self.scalar_fields, "fingerprint", "import_batch", "updated_at"], batch_size=500
        )
        LogEntry.objects.bulk_create(entries)
        self.updated += len(objects)

    def _add_links(self, chunk: list[Resolved], ids: dict[str, int], unchanged_keys: set[str]) -> None:
        """Insert link rows that do not exist yet; a record that only gained links counts as updated."""
        gained: set[str] = set()
        for name in chunk[0].links if chunk else ():
            relation = getattr(self.model, name)
            through = relation.through
            source_col = relation.field.m2m_column_name()
            target_col = relation.field.m2m_reverse_name()
            wanted = {(ids[item.key], value): item.key for item in chunk for value in item.links[name]}
            if not wanted:
                continue
            have = set(
                through.objects.filter(**{f"{source_col}__in": {pk for pk, _ in wanted}}).values_list(
                    source_col, target_col
                )
            )
            missing = [pair for pair in wanted if pair not in have]
            if missing:
                table = connection.ops.quote_name(through._meta.db_table)
                sql = (
                    f"{connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} "
                    f"({connection.ops.quote_name(source_col)}, {connection.ops.quote_name(target_col)}) "
                    f"VALUES (%s, %s) "
                    f"{connection.ops.on_conflict_suffix_sql([], OnConflict.IGNORE, None, None)}"
                )
                with connection.cursor() as cursor:
                    cursor.executemany(sql, missing)
            gained.update(wanted[pair] for pair in missing)
        moved = len(gained & unchanged_keys)
        self.unchanged -= moved
        self.updated += moved


def recommendations_import(
    *,
    path: Path,
    by,
    format: str | None = None,
    display_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK,
) -> ImportReport:
    """Import a recommendations/pledges file. Raises ImportRefused (and writes nothing) on a bad row."""
    policy.require(by, "recommendations.import")
    path = Path(path)
    name = display_name or path.name
    started = time.perf_counter()
    try:
        fmt = format or detect.detect_format(path)
        report = ImportReport(file=name, format=fmt)
        with transaction.atomic():
            batch = ImportRun.objects.create(
                kind="recommendations",
                format=fmt,
                file_name=name,
                sha256=file_sha256(path),
                by=audit._real_user(by),
            )
            _run(path, fmt, by, batch, report, progress, chunk_size)
            for attr in ("rows_read", "created", "updated", "unchanged"):
                setattr(batch, attr, getattr(report, attr))
            batch.details = {
                attr: getattr(report, attr)
                for attr in ("pledges_created", "pledges_updated", "pledges_unchanged")
            }
            batch.save()
            report.batch_id = batch.pk
            report.seconds = time.perf_counter() - started
            audit.record(
                actor=by,
                action="recommendations.import",
                target=batch,
                data={"file": name, "format": fmt, "sha256": batch.sha256, "summary": report.summary()},
            )
    except ImportRowError as error:
        named = ImportRowError(name, error.row, error.field, error.reason)  # the name the user knows
        raise ImportRefused(f"{named} — nothing was imported.") from error
    return report


def _run(
    path: Path,
    fmt: str,
    by,
    batch: ImportRun,
    report: ImportReport,
    progress: Callable[[int], None] | None,
    chunk_size: int,
) -> None:
    resolver = Resolver(path.name, fmt, report)
    recs = ChunkWriter(Recommendation, SCALAR_FIELDS, batch, fmt, by)
    pledges = ChunkWriter(Pledge, PLEDGE_FIELDS, batch, fmt, by)
    allowed_states: set[str] = set()
    rec_chunk: list[Resolved] = []
    pledge_chunk: list[Resolved] = []

    def check_state(state: str, row: int) -> None:
        # A State's own focal point may import its recommendations, not another State's.
        if state not in allowed_states:
            if not policy.can(
                by, "recommendations.import_for_state", Recommendation(state_under_review_id=state)
            ):
                raise ImportRowError(
                    path.name, row, "state_under_review", f"you may not import recommendations about {state}"
                )
            allowed_states.add(state)

    for record in detect.parse(path, fmt):
        report.rows_read += 1
        if isinstance(record, PledgeRecord):
            item = resolve_pledge(record, resolver)
            check_state(item.fields["state_id"], record.row)
            pledge_chunk.append(item)
        else:
            item = resolve_recommendation(record, resolver)
            check_state(item.fields["state_under_review_id"], record.row)
            rec_chunk.append(item)
        if len(rec_chunk) >= chunk_size:
            recs.write(rec_chunk)
            rec_chunk = []
            reset_queries()  # with DEBUG on, Django would keep every query: memory must stay flat
        if len(pledge_chunk) >= chunk_size:
            pledges.write(pledge_chunk)
            pledge_chunk = []
        if progress is not None and report.rows_read % 500 == 0:
            progress(report.rows_read)
    for writer, chunk in ((recs, rec_chunk), (pledges, pledge_chunk)):
        if chunk:
            writer.write(chunk)
    if progress is not None:
        progress(report.rows_read)
    report.created, report.updated, report.unchanged, report.merged_rows = (
        recs.created,
        recs.updated,
        recs.unchanged,
        recs.merged,
    )
    report.pledges_created, report.pledges_updated, report.pledges_unchanged = (
        pledges.created,
        pledges.updated,
        pledges.unchanged,
    )
