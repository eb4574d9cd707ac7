"""`hrtc import iati FILE...`: read IATI 2.03 activity files published by others (UN agencies, donors).

* Streaming: ``lxml.etree.iterparse`` yields one ``iati-activity`` at a time and each element is cleared
  (with the siblings already read) once it is stored, so a 200 MB file does not need 200 MB of memory.
* Keeps the activities in the human-rights DAC sectors (15160, 15170, 15180) and those with the OECD DAC
  gender equality marker (policy marker 1, significance 1 or more); the others are counted and skipped.
* Maps them to hrtc's records where it can: the reporting and participating organisations to
  ``Organisation`` by IATI organisation identifier, recipient countries to States (ISO 3166-1 alpha-2),
  SDG tags (vocabularies 2 and 3) to goals and targets, DAC sectors 15170/15180 to the themes women's
  rights (uhri:F1) / violence against women (uhri:F13); transactions are stored with their provider.
* Idempotent on ``iati-identifier``: a re-import of the same activity changes nothing; a changed one is
  replaced (its child rows rewritten).
* All-or-nothing per file: one transaction; the first bad element refuses the file with its line number,
  and nothing is written. What cannot be stored (a missing identifier, a date or amount that does not
  parse, a version-1 file) is an error; quality rules are for ``hrtc export iati --validate``.
* Elements hrtc does not use (locations, contacts, conditions, CRS/FSS, planned disbursements…) are not
  kept, so a re-export of another publisher's activity holds what hrtc uses of it, not the whole original.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from lxml import etree

from hrtc.opendata.iati.model import (
    Actual,
    Budget,
    DocumentLink,
    IatiActivity,
    Indicator,
    Org,
    Period,
    Result,
    Transaction,
    results_to_json,
)

FORMATS = ("iati-xml",)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class IatiImportError(Exception):
    def __init__(self, file: str, line: int | None, reason: str, identifier: str = ""):
        self.file, self.line, self.reason, self.identifier = file, line, reason, identifier
        where = file + (f", line {line}" if line else "") + (f", activity {identifier}" if identifier else "")
        super().__init__(f"{where}: {reason}")


# Parsing: XML -> IatiActivity (no database) ----------------------------------------------------------------


def _narratives(el: etree._Element | None) -> list[list[str]]:
    if el is None:
        return []
    return [[n.get(XML_LANG, ""), (n.text or "").strip()] for n in el.iterchildren("narrative")]


def _org(el: etree._Element | None, id_attr: str = "") -> Org | None:
    if el is None:
        return None
    return Org(
        ref=(el.get("ref") or "").strip(),
        type=el.get("type") or "",
        narratives=_narratives(el),
        role=el.get("role") or "",
        activity_id=el.get(id_attr) or "" if id_attr else "",
    )


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.identifier = ""

    def fail(self, el: etree._Element, reason: str):
        raise IatiImportError(self.file, el.sourceline, reason, self.identifier)

    def date(self, el: etree._Element, attr: str = "iso-date", required: bool = True) -> str:
        text = (el.get(attr) or "").strip()
        if not text:
            if required:
                self.fail(el, f"<{el.tag}> has no {attr}.")
            return ""
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            self.fail(el, f"<{el.tag}> {attr}={text!r} is not a date (YYYY-MM-DD).")

    def decimal(self, el: etree._Element, text: str | None, what: str) -> str:
        try:
            value = Decimal((text or "").strip())
        except InvalidOperation:
            self.fail(el, f"{what} {text!r} is not a number.")
        if not value.is_finite():
            self.fail(el, f"{what} {text!r} is not a finite number.")
        return str(value)

    def budgets(self, el: etree._Element) -> list[Budget]:
        """The activity's budgets: each needs its period and value."""
        budgets = []
        for b in el.iterchildren("budget"):
            value = b.find("value")
            start, end = b.find("period-start"), b.find("period-end")
            if value is None or start is None or end is None:
                self.fail(b, "A budget needs period-start, period-end and value.")
            budgets.append(
                Budget(
                    type=b.get("type") or "",
                    status=b.get("status") or "",
                    start=self.date(start),
                    end=self.date(end),
                    value=self.decimal(value, value.text, "budget value"),
                    currency=value.get("currency") or "",
                    value_date=self.date(value, "value-date"),
                )
            )
        return budgets

    def transactions(self, el: etree._Element) -> list[Transaction]:
        """The activity's transactions: each needs its type, date and value."""
        transactions = []
        for t in el.iterchildren("transaction"):
            type_el, date_el, value = t.find("transaction-type"), t.find("transaction-date"), t.find("value")
            if type_el is None or date_el is None or value is None:
                self.fail(t, "A transaction needs transaction-type, transaction-date and value.")
            transactions.append(
                Transaction(
                    type=type_el.get("code") or "",
                    date=self.date(date_el),
                    value=self.decimal(value, value.text, "transaction value"),
                    currency=value.get("currency") or "",
                    value_date=self.date(value, "value-date", required=False) or self.date(date_el),
                    ref=t.get("ref") or "",
                    descriptions=_narratives(t.find("description")),
                    provider=_org(t.find("provider-org"), "provider-activity-id"),
                    receiver=_org(t.find("receiver-org"), "receiver-activity-id"),
                )
            )
        return transactions

    def activity(self, el: etree._Element) -> IatiActivity:
        self.identifier = (el.findtext("iati-identifier") or "").strip()
        if not self.identifier:
            self.fail(el, "The activity has no iati-identifier.")
        reporting = el.find("reporting-org")
        if reporting is None or not (reporting.get("ref") or "").strip():
            self.fail(reporting if reporting is not None else el, "The activity has no reporting-org ref.")
        title = el.find("title")
        titles = _narratives(title)
        if not any(text for _l, text in titles):
            self.fail(title if title is not None else el, "The activity has no title narrative.")
        status_el = el.find("activity-status")
        status = (status_el.get("code") or "") if status_el is not None else ""
        if status and not status.isdigit():
            self.fail(status_el, f"activity-status {status!r} is not an IATI ActivityStatus code.")
        dates = []
        for d in el.iterchildren("activity-date"):
            dates.append([d.get("type") or "", self.date(d)])
        countries = []
        for c in el.iterchildren("recipient-country"):
            pct = c.get("percentage")
            countries.append(
                [(c.get("code") or "").strip().upper(), self.decimal(c, pct, "percentage") if pct else ""]
            )
        sectors = []
        for s in el.iterchildren("sector"):
            pct = s.get("percentage")
            sectors.append(
                {
                    "vocabulary": s.get("vocabulary") or "",
                    "code": (s.get("code") or "").strip(),
                    "percentage": self.decimal(s, pct, "percentage") if pct else "",
                    "narratives": _narratives(s),
                }
            )
        tags = [
            {
                "vocabulary": t.get("vocabulary") or "",
                "code": (t.get("code") or "").strip(),
                "vocabulary_uri": t.get("vocabulary-uri") or "",
                "narratives": _narratives(t),
            }
            for t in el.iterchildren("tag")
        ]
        markers = []
        for m in el.iterchildren("policy-marker"):
            marker = {"vocabulary": m.get("vocabulary") or "", "code": m.get("code") or ""}
            marker["significance"] = m.get("significance") or ""
            marker["narratives"] = _narratives(m)
            markers.append(marker)
        currency = el.get("default-currency") or ""
        budgets = self.budgets(el)
        transactions = self.transactions(el)
        documents = []
        for d in el.iterchildren("document-link"):
            documents.append(
                DocumentLink(
                    url=d.get("url") or "",
                    format=d.get("format") or "",
                    titles=_narratives(d.find("title")),
                    categories=[c.get("code") or "" for c in d.iterchildren("category")],
                    languages=[c.get("code") or "" for c in d.iterchildren("language")],
                    date=self.date(d.find("document-date")) if d.find("document-date") is not None else "",
                )
            )
        results = []
        for r in el.iterchildren("result"):
            indicators = []
            for i in r.iterchildren("indicator"):
                periods = []
                for p in i.iterchildren("period"):
                    start, end = p.find("period-start"), p.find("period-end")
                    if start is None or end is None:
                        self.fail(p, "A result period needs period-start and period-end.")
                    actuals = [
                        Actual(
                            a.get("value") or "",
                            [
                                [d.get("name") or "", d.get("value") or ""]
                                for d in a.iterchildren("dimension")
                            ],
                        )
                        for a in p.iterchildren("actual")
                    ]
                    periods.append(Period(self.date(start), self.date(end), actuals))
                indicators.append(
                    Indicator(
                        measure=i.get("measure") or "",
                        titles=_narratives(i.find("title")),
                        ascending=i.get("ascending") or "",
                        descriptions=_narratives(i.find("description")),
                        periods=periods,
                    )
                )
            results.append(
                Result(
                    type=r.get("type") or "",
                    titles=_narratives(r.find("title")),
                    descriptions=_narratives(r.find("description")),
                    aggregation_status=r.get("aggregation-status") or "",
                    indicators=indicators,
                )
            )
        return IatiActivity(
            identifier=self.identifier,
            reporting_org=_org(reporting),
            secondary_reporter=reporting.get("secondary-reporter") or "",
            titles=titles,
            descriptions=[
                {"type": d.get("type") or "", "narratives": _narratives(d)}
                for d in el.iterchildren("description")
            ],
            participating_orgs=[_org(p, "activity-id") for p in el.iterchildren("participating-org")],
            status=status,
            dates=dates,
            language=el.get(XML_LANG) or "",
            currency=currency,
            last_updated=el.get("last-updated-datetime") or "",
            humanitarian=_boolean_text(el.get("humanitarian")),
            countries=countries,
            sectors=sectors,
            tags=tags,
            policy_markers=markers,
            budgets=budgets,
            transactions=transactions,
            document_links=documents,
            related=[[r.get("type") or "", r.get("ref") or ""] for r in el.iterchildren("related-activity")],
            results=results,
            source_line=el.sourceline or 0,
        )


def _boolean_text(value: str | None) -> str:
    if value is None:
        return ""
    return "1" if value.strip() in ("1", "true") else "0"


def read_activities(path: Path | str, display_name: str | None = None) -> Iterator[IatiActivity]:
    """Every activity of an IATI activity file, one at a time (iterparse, elements cleared as read)."""
    path = Path(path)
    name = display_name or path.name
    reader = _Reader(name)
    root_checked = False
    try:
        for event, el in etree.iterparse(
            str(path), events=("start", "end"), huge_tree=True, remove_comments=True
        ):
            if not root_checked and event == "start":
                root_checked = True
                if el.tag != "iati-activities":
                    raise IatiImportError(
                        name, el.sourceline, f"<{el.tag}> is not an IATI activity file (iati-activities)."
                    )
                version = el.get("version") or ""
                if not version.startswith("2."):
                    raise IatiImportError(
                        name,
                        el.sourceline,
                        f"IATI version {version or '(none)'} is not supported; use version 2 files.",
                    )
                continue
            if event != "end" or el.tag != "iati-activity":
                continue
            record = reader.activity(el)
            yield record
            el.clear(keep_tail=False)
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise IatiImportError(name, error.lineno, f"not well-formed XML: {error.msg}") from error


# Keeping and storing -----------------------------------------------------------------------------------------


def is_human_rights(record: IatiActivity) -> bool:
    """In a human-rights DAC sector, or with the gender equality marker (significance 1 or more)."""
    from hrtc.opendata.iati.mapping import HUMAN_RIGHTS_SECTORS

    for s in record.sectors:
        if (s["vocabulary"] or "1") in ("1", "DAC") and s["code"] in HUMAN_RIGHTS_SECTORS:
            return True
    for m in record.policy_markers:
        if (m["vocabulary"] or "1") == "1" and m["code"] == "1" and m["significance"] not in ("", "0"):
            return True
    return False


def fingerprint(record: IatiActivity) -> str:
    data = asdict(record)
    data.pop("source_line")
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class ImportReport:
    file: str
    format: str = "iati-xml"
    activities_read: int = 0
    kept: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    import_id: int | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.file} ({self.format}): {self.activities_read} activities read, {self.kept} in human-rights "
            f"sectors or gender-marked; {self.created} created, {self.updated} updated, {self.unchanged} "
            f"unchanged; {self.seconds:.1f} s"
        )


class _Lookups:
    """hrtc records by IATI code, loaded once per file."""

    def __init__(self):
        from hrtc.accounts.models import Organisation
        from hrtc.reference.models import SdgGoal, SdgTarget, State, Theme

        self.orgs = {o.iati_org_ref: o for o in Organisation.objects.exclude(iati_org_ref="")}
        from hrtc.opendata import publication

        for o in Organisation.objects.all():
            self.orgs.setdefault(publication.organisation_ref(o), o)
        self.states = {s.alpha2: s for s in State.objects.all()}
        self.goals = {g.code: g for g in SdgGoal.objects.all()}
        self.targets = {t.code: t for t in SdgTarget.objects.all()}
        self.themes = {t.key: t for t in Theme.objects.filter(vocabulary="uhri", code__in=["F1", "F13"])}


def _aware(text: str):
    if not text:
        return None
    from django.utils import timezone

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else timezone.make_aware(moment, timezone.utc)


def store(record: IatiActivity, *, batch, lookups: _Lookups, file_name: str) -> str:
    """Create or update one external activity; returns created / updated / unchanged."""
    from hrtc.opendata.iati.mapping import THEME_BY_SECTOR
    from hrtc.opendata.models import (
        ExternalActivity,
        ExternalCountry,
        ExternalParticipatingOrg,
        ExternalSector,
        ExternalTag,
        ExternalTransaction,
    )

    digest = fingerprint(record)
    existing = ExternalActivity.objects.filter(iati_identifier=record.identifier).first()
    if existing is not None and existing.fingerprint == digest:
        return "unchanged"
    dates = dict((t, d) for t, d in reversed(record.dates))
    marker = next(
        (m for m in record.policy_markers if (m["vocabulary"] or "1") == "1" and m["code"] == "1"), None
    )
    gender = int(marker["significance"]) if marker and marker["significance"].isdigit() else None
    state = next((lookups.states[c] for c, _p in record.countries if c in lookups.states), None)
    budget_currency = {b.currency or record.currency for b in record.budgets}
    budget_total = (
        sum((Decimal(b.value) for b in record.budgets if b.type != "2"), Decimal(0))
        if record.budgets
        else None
    )
    values = dict(
        source=batch,
        source_file=file_name,
        source_line=record.source_line,
        fingerprint=digest,
        reporting_org_ref=record.reporting_org.ref,
        reporting_org_type=record.reporting_org.type,
        reporting_org_secondary=None if not record.secondary_reporter else record.secondary_reporter == "1",
        reporting_org_narratives=record.reporting_org.narratives,
        reporting_org_name=next((t for _l, t in record.reporting_org.narratives if t), "")[:500],
        reporting_organisation=lookups.orgs.get(record.reporting_org.ref),
        last_updated=_aware(record.last_updated),
        default_language=record.language,
        default_currency=record.currency,
        humanitarian=None if not record.humanitarian else record.humanitarian == "1",
        titles=record.titles,
        descriptions=record.descriptions,
        title=next((t for _l, t in record.titles if t), ""),
        description=next((t for d in record.descriptions for _l, t in d["narratives"] if t), ""),
        activity_status=int(record.status) if record.status else None,
        planned_start=_opt_date(dates.get("1")),
        actual_start=_opt_date(dates.get("2")),
        planned_end=_opt_date(dates.get("3")),
        actual_end=_opt_date(dates.get("4")),
        activity_dates=record.dates,
        state=state,
        gender_marker=gender,
        policy_markers=record.policy_markers,
        budget_total=budget_total if len(budget_currency) == 1 else None,
        budget_currency=budget_currency.pop() if len(budget_currency) == 1 else "",
        budgets=[asdict(b) for b in record.budgets],
        results=results_to_json(record.results),
        document_links=[asdict(d) for d in record.document_links],
        related_activities=record.related,
    )
    if existing is None:
        external = ExternalActivity.objects.create(iati_identifier=record.identifier, **values)
        outcome = "created"
    else:
        external = existing
        for key, value in values.items():
            setattr(external, key, value)
        external.save()
        for related in (
            external.participants,
            external.countries,
            external.sectors,
            external.tags,
            external.transactions,
        ):
            related.all().delete()
        outcome = "updated"
    ExternalParticipatingOrg.objects.bulk_create(
        ExternalParticipatingOrg(
            activity=external,
            position=i,
            ref=p.ref,
            type=p.type,
            role=p.role,
            activity_id_ref=p.activity_id,
            narratives=p.narratives,
            organisation=lookups.orgs.get(p.ref) if p.ref else None,
        )
        for i, p in enumerate(record.participating_orgs)
    )
    ExternalCountry.objects.bulk_create(
        ExternalCountry(
            activity=external,
            position=i,
            code=c,
            percentage=Decimal(p) if p else None,
            state=lookups.states.get(c),
        )
        for i, (c, p) in enumerate(record.countries)
    )
    ExternalSector.objects.bulk_create(
        ExternalSector(
            activity=external,
            position=i,
            vocabulary=s["vocabulary"],
            code=s["code"],
            percentage=Decimal(s["percentage"]) if s["percentage"] else None,
            narratives=s["narratives"],
        )
        for i, s in enumerate(record.sectors)
    )
    ExternalTag.objects.bulk_create(
        ExternalTag(
            activity=external,
            position=i,
            vocabulary=t["vocabulary"],
            code=t["code"],
            vocabulary_uri=t["vocabulary_uri"],
            narratives=t["narratives"],
            sdg_goal=lookups.goals.get(t["code"]) if t["vocabulary"] == "2" else None,
            sdg_target=lookups.targets.get(t["code"]) if t["vocabulary"] == "3" else None,
        )
        for i, t in enumerate(record.tags)
    )
    ExternalTransaction.objects.bulk_create(
        ExternalTransaction(
            activity=external,
            position=i,
            ref=t.ref,
            type=t.type,
            date=date.fromisoformat(t.date),
            value=Decimal(t.value),
            currency=t.currency,
            value_date=date.fromisoformat(t.value_date),
            descriptions=t.descriptions,
            provider_org=t.provider.to_json() if t.provider else {},
            receiver_org=t.receiver.to_json() if t.receiver else {},
            provider_organisation=lookups.orgs.get(t.provider.ref) if t.provider and t.provider.ref else None,
        )
        for i, t in enumerate(record.transactions)
    )
    themes = [
        lookups.themes[THEME_BY_SECTOR[s["code"]]]
        for s in record.sectors
        if (s["vocabulary"] or "1") == "1" and THEME_BY_SECTOR.get(s["code"]) in lookups.themes
    ]
    external.themes.set(themes)
    return outcome


def _opt_date(text: str | None):
    return date.fromisoformat(text) if text else None


def detect_format(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith(b"<") and b"iati-activities" in head:
        return "iati-xml"
    raise IatiImportError(path.name, None, "not an IATI activity file (no <iati-activities> at its start).")


def import_file(
    *,
    path: Path | str,
    by,
    format: str | None = None,
    display_name: str | None = None,
    progress: Callable[[int], None] | None = None,
):
    """Import one IATI activity file, all-or-nothing (see the module docstring)."""
    from hrtc.accounts import policy
    from hrtc.core import audit
    from hrtc.core.exceptions import ImportRefused
    from hrtc.core.models import ImportRun

    policy.require(by, "opendata.import_iati")
    path = Path(path)
    name = display_name or path.name
    started = time.perf_counter()
    if format is not None and format not in FORMATS:
        raise ImportRefused(f"{name}: unknown format {format!r}; use one of {', '.join(FORMATS)}.")
    report = ImportReport(file=name)
    try:
        fmt = format or detect_format(path)
        report.format = fmt
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
        lookups = _Lookups()
        with transaction.atomic():
            batch = ImportRun.objects.create(
                kind="iati",
                format="iati-xml",
                file_name=name[:500],
                sha256=sha.hexdigest(),
                by=audit._real_user(by),
            )
            seen: dict[str, int] = {}
            for record in read_activities(path, name):
                report.activities_read += 1
                if record.identifier in seen:
                    raise IatiImportError(
                        name,
                        record.source_line,
                        f"iati-identifier {record.identifier!r} is also on line {seen[record.identifier]}.",
                        record.identifier,
                    )
                seen[record.identifier] = record.source_line
                if is_human_rights(record):
                    report.kept += 1
                    outcome = store(record, batch=batch, lookups=lookups, file_name=name)
                    setattr(report, outcome, getattr(report, outcome) + 1)
                if progress is not None and report.activities_read % 100 == 0:
                    progress(report.activities_read)
            report.seconds = time.perf_counter() - started
            ImportRun.objects.filter(pk=batch.pk).update(
                rows_read=report.activities_read,
                details={"kept": report.kept},
                created=report.created,
                updated=report.updated,
                unchanged=report.unchanged,
            )
            report.import_id = batch.pk
            audit.record(
                actor=by,
                action="opendata.import_iati",
                target=batch,
                data={"file": name, "sha256": batch.sha256, "summary": report.summary()},
            )
    except IatiImportError as error:
        raise ImportRefused(f"{error} — nothing was imported.") from error
    if progress is not None:
        progress(report.activities_read)
    return report
