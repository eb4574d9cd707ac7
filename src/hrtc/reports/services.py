"""Every write of the reports app: generating (directly or as a background run), saving a report as a
versioned document with a symbol, publishing it, withdrawing published versions whose data the public may no
longer see. Policy-checked and audited."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrtc.accounts import policy
from hrtc.core import audit
from hrtc.core.exceptions import Conflict, InvalidInput, NotFound
from hrtc.reports import builders, disclosed
from hrtc.reports.choices import Audience, ReportFormat, RunStatus, WithdrawalReason
from hrtc.reports.document import Params, Report
from hrtc.reports.exporters import render
from hrtc.reports.models import ReportFile, ReportRun, SavedReport, report_storage

EXTENSIONS = {fmt: fmt for fmt in ReportFormat.values}


def reader_for(by: Any, audience: str) -> Any:
    """Whose view of the data a report is drawn from: the public's, or the person's own."""
    if audience not in Audience.values:
        raise InvalidInput(_("Unknown audience %(a)r.") % {"a": audience}, field="audience")
    return None if audience == Audience.PUBLIC else by


def report_generate(
    *, params: Params, by: Any, audience: str = Audience.PUBLIC, progress: Callable[[str], None] | None = None
) -> Report:
    """Run a report's queries as `by` sees the data (or as the public does) and assemble it."""
    policy.require(by, "reports.generate")
    return builders.build(params, reader_for(by, audience), progress)


def report_render(report: Report, formats: Iterable[str] = ReportFormat.values) -> dict[str, bytes]:
    return {fmt: render(report, fmt) for fmt in formats}


# ---------------------------------------------------------------------------------------------------------
# Background runs (the web page)


@transaction.atomic
def run_request(*, by: Any, params: Params, audience: str) -> ReportRun:
    """Queue a report for generation in the background; the page polls the run until it is ready."""
    policy.require(by, "reports.generate")
    reader_for(by, audience)
    with translation.override(params.language):
        title = builders.default_title(params)
    run = ReportRun.objects.create(
        kind=params.kind,
        title=title,
        parameters=params.as_dict(),
        language=params.language,
        audience=audience,
        requested_by=by,
    )
    audit.record(actor=by, action="report.generate", target=run, data={"parameters": params.as_dict()})
    transaction.on_commit(lambda: _enqueue(run))
    return run


def _enqueue(run: ReportRun) -> None:
    from hrtc.reports.tasks import generate_report

    result = generate_report.enqueue(str(run.pk))
    ReportRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id)[:64])


def run_execute(*, run_id: str) -> ReportRun:
    """Generate a queued run in every format and store the files. Idempotent: a finished run is left alone."""
    try:
        run = ReportRun.objects.select_related("requested_by").get(pk=run_id)
    except ReportRun.DoesNotExist:
        raise NotFound(_("No report run %(id)s.") % {"id": run_id}) from None
    if run.finished:
        return run
    run.status, run.step = RunStatus.RUNNING, _("Reading the data")
    run.save(update_fields=["status", "step"])
    try:
        params = Params.from_dict(run.parameters)
        steps = builders.plan(params) + len(ReportFormat.values)
        done = 0

        def progress(label: str) -> None:
            nonlocal done
            done += 1
            ReportRun.objects.filter(pk=run.pk).update(
                progress=min(99, 100 * done // steps), step=label[:300]
            )

        report = report_generate(params=params, by=run.requested_by, audience=run.audience, progress=progress)
        files = {}
        storage = report_storage()
        for fmt in ReportFormat.values:
            progress(_("Writing %(format)s") % {"format": fmt.upper()})
            data = render(report, fmt)
            files[fmt] = storage.save(f"reports/runs/{run.pk}/{report.slug()}.{fmt}", ContentFile(data))
        run.files, run.manifest, run.title = files, report.manifest, report.title
        run.status, run.progress, run.step = RunStatus.DONE, 100, ""
    except Exception as error:
        import logging

        logging.getLogger(__name__).exception("report run %s failed", run.pk)
        run.status, run.error = RunStatus.FAILED, str(getattr(error, "message", error))[:2000]
    run.finished_at = timezone.now()
    run.save()
    return run


def run_files(run: ReportRun) -> dict[str, bytes]:
    storage = report_storage()
    files = {}
    for fmt, name in run.files.items():
        with storage.open(name, "rb") as handle:
            files[fmt] = handle.read()
    return files


# ---------------------------------------------------------------------------------------------------------
# Saved reports: versioned documents with a symbol


def _next_symbol(year: int) -> str:
    prefix = f"HRTC/REP/{year}/"
    numbers = [
        int(symbol.removeprefix(prefix))
        for symbol in SavedReport.objects.filter(symbol__startswith=prefix).values_list("symbol", flat=True)
        if symbol.removeprefix(prefix).isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def report_save(
    *,
    by: Any,
    kind: str,
    title: str,
    parameters: dict,
    language: str,
    audience: str,
    manifest: dict,
    files: dict[str, bytes],
    symbol: str = "",
) -> SavedReport:
    """Save a generated report as a document: a new symbol (HRTC/REP/<year>/<n>, version 1), or the next
    version of an existing symbol."""
    policy.require(by, "reports.save")
    if not files:
        raise InvalidInput(_("There is nothing to save: the report has no files."))
    for attempt in range(3):  # two people saving at once: the unique constraint decides, we retry
        try:
            with transaction.atomic(), audit.acting_as(by):
                if symbol:
                    versions = SavedReport.objects.filter(symbol=symbol)
                    latest = versions.aggregate(v=Max("version"))["v"]
                    if latest is None:
                        raise NotFound(_("No saved report has the symbol %(symbol)s.") % {"symbol": symbol})
                    if versions.exclude(kind=kind).exists():
                        raise Conflict(_("A new version must be the same type of report."))
                    code, version = symbol, latest + 1
                else:
                    code, version = _next_symbol(timezone.now().year), 1
                saved = SavedReport.objects.create(
                    symbol=code,
                    version=version,
                    kind=kind,
                    title=title[:300],
                    parameters=parameters,
                    language=language,
                    audience=audience,
                    manifest=manifest,
                    created_by=by if getattr(by, "pk", None) else None,
                )
                for fmt, data in sorted(files.items()):
                    item = ReportFile(
                        report=saved, format=fmt, size=len(data), sha256=hashlib.sha256(data).hexdigest()
                    )
                    name = f"{title[:60] or kind}.{EXTENSIONS[fmt]}"
                    item.file.save(_safe_name(name), ContentFile(data), save=False)
                    item.save()
                audit.record(
                    actor=by, action="report.save", target=saved, data={"symbol": code, "version": version}
                )
                return saved
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _safe_name(name: str) -> str:
    from django.utils.text import get_valid_filename

    return get_valid_filename(name) or "report"


def report_save_run(*, run: ReportRun, by: Any, symbol: str = "") -> SavedReport:
    if run.status != RunStatus.DONE:
        raise Conflict(_("Only a finished report can be saved."))
    return report_save(
        by=by,
        kind=run.kind,
        title=run.title,
        parameters=run.parameters,
        language=run.language,
        audience=run.audience,
        manifest=run.manifest,
        files=run_files(run),
        symbol=symbol,
    )


@transaction.atomic
def report_publish(*, saved: SavedReport, by: Any) -> SavedReport:
    """Publish a saved report version (the transparency portal lists published ones). Only a report drawn
    from public data may be published: an internal one may hold what the public must not see."""
    policy.require(by, "reports.publish", saved)
    if saved.audience != Audience.PUBLIC:
        raise Conflict(
            _("This report was drawn from internal data; generate it from public data only to publish it.")
        )
    if saved.is_published:
        return saved
    if saved.withdrawn_at is not None or disclosed.no_longer_public(
        {saved.pk: saved.manifest.get("disclosed")}
    ):
        raise Conflict(
            _(
                "This version holds data a State no longer consents to publish; generate the report again and "
                "publish the new version."
            )
        )
    with audit.acting_as(by):
        saved.is_published, saved.published_at = True, timezone.now()
        saved.published_by = by if getattr(by, "pk", None) else None
        saved.save(update_fields=["is_published", "published_at", "published_by"])
    audit.record(actor=by, action="report.publish", target=saved)
    return saved


@transaction.atomic
def report_unpublish(*, saved: SavedReport, by: Any, reason: str) -> SavedReport:
    policy.require(by, "reports.publish", saved)
    if not reason.strip():
        raise InvalidInput(_("Say why the report is withdrawn from the portal."), field="reason")
    with audit.acting_as(by):
        saved.is_published, saved.published_at, saved.published_by = False, None, None
        saved.save(update_fields=["is_published", "published_at", "published_by"])
    audit.record(actor=by, action="report.unpublish", target=saved, reason=reason)
    return saved


# ---------------------------------------------------------------------------------------------------------
# Withdrawal: a published version is a frozen artefact, never rewritten; when a record it disclosed stops
# being public (a State withdrew consent), it stops being served to the public and is marked withdrawn.


def withdraw_stale_reports() -> list[SavedReport]:
    """Withdraw every published version that disclosed a record an anonymous reader no longer sees; return
    those it withdrew. Re-runnable: called lazily wherever saved reports are
    served or listed (``reports.selectors``), and by ``hrtc reports-sweep``. A fixed number of queries while
    nothing is stale: one for the versions, one per kind of record (and 500 ids) they disclosed.

    Versions saved before reports recorded what they disclosed (no ``disclosed`` in the manifest) cannot be
    checked and are left alone."""
    published = SavedReport.objects.filter(
        is_published=True, withdrawn_at__isnull=True, manifest__has_key="disclosed"
    )
    records = {pk: manifest.get("disclosed") for pk, manifest in published.values_list("pk", "manifest")}
    return [
        saved
        for pk, gone in disclosed.no_longer_public(records).items()
        if (saved := _withdraw(pk=pk, gone=gone)) is not None
    ]


@transaction.atomic
def _withdraw(*, pk: int, gone: dict[str, list[int]]) -> SavedReport | None:
    """Mark one version withdrawn, once (two readers at the same moment: one marks, one audit entry)."""
    now = timezone.now()
    marked = SavedReport.objects.filter(pk=pk, is_published=True, withdrawn_at__isnull=True).update(
        is_published=False, withdrawn_at=now, withdrawn_reason=WithdrawalReason.CONSENT
    )
    if not marked:
        return None
    saved = SavedReport.objects.get(pk=pk)
    audit.record(
        actor=None,
        action="report.withdraw",
        target=saved,
        reason=str(WithdrawalReason.CONSENT.label),
        data={"no_longer_public": {label: disclosed.encode(ids) for label, ids in gone.items()}},
    )
    return saved
