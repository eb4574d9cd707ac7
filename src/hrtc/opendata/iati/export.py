"""Streaming IATI 2.03 writers.

``write_activities(activities, fileobj)`` writes an ``iati-activities`` document of the given activities
with ``lxml.etree.xmlfile``: one ``iati-activity`` element is built, written and dropped at a time, so
memory does not grow with the number of activities. ``activities`` may be

* a queryset or iterable of internal ``assistance.Activity`` — pass only published ones
  (``publication.published_activities()`` or a filter of it); the writer re-checks nothing,
* a queryset or iterable of ``opendata.ExternalActivity`` (imported activities, written as they were read),
* or ready ``IatiActivity`` records.

Querysets are read in chunks with their related rows prefetched. The portal's downloads call this for a
filtered set; ``hrtc export iati`` calls it for everything and validates (``validate``) before publishing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from django.db.models import QuerySet
from lxml import etree

from hrtc.opendata.iati.model import Budget, DocumentLink, IatiActivity, Narratives, Org, Result, Transaction

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHUNK = 500


def _narratives(parent: etree._Element, narratives: Narratives) -> None:
    for lang, text in narratives:
        n = etree.SubElement(parent, "narrative")
        if lang:
            n.set(XML_LANG, lang)
        n.text = text


def _text_element(parent: etree._Element, tag: str, narratives: Narratives, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items() if v})
    _narratives(el, narratives)
    return el


def _org(parent: etree._Element, tag: str, org: Org, id_attr: str = "") -> None:
    attrs = {}
    if org.ref:
        attrs["ref"] = org.ref
    if tag == "participating-org":
        attrs["role"] = org.role
    if org.activity_id and id_attr:
        attrs[id_attr] = org.activity_id
    if org.type:
        attrs["type"] = org.type
    el = etree.SubElement(parent, tag, attrs)
    _narratives(el, org.narratives)


def _present(**attrs: str) -> dict[str, str]:
    """The attributes that have a value (XML attributes are left out rather than written empty)."""
    return {key.replace("_", "-"): value for key, value in attrs.items() if value not in (None, "")}


def activity_element(a: IatiActivity) -> etree._Element:
    """One ``iati-activity`` element, children in the order the 2.03 schema requires."""
    attrs = _present(last_updated_datetime=a.last_updated)
    if a.language:
        attrs[XML_LANG] = a.language
    root = etree.Element(
        "iati-activity", {**attrs, **_present(default_currency=a.currency, humanitarian=a.humanitarian)}
    )
    etree.SubElement(root, "iati-identifier").text = a.identifier
    reporting = _present(
        ref=a.reporting_org.ref, type=a.reporting_org.type, secondary_reporter=a.secondary_reporter
    )
    _narratives(etree.SubElement(root, "reporting-org", reporting), a.reporting_org.narratives)
    _text_element(root, "title", a.titles)
    for d in a.descriptions:
        _text_element(root, "description", d["narratives"], type=d.get("type", ""))
    for p in a.participating_orgs:
        _org(root, "participating-org", p, "activity-id")
    etree.SubElement(root, "activity-status", code=a.status)
    for type_, iso in a.dates:
        etree.SubElement(root, "activity-date", {"type": type_, "iso-date": iso})
    _classifications(root, a)
    for b in a.budgets:
        _budget(root, b)
    for t in a.transactions:
        _transaction(root, t)
    for d in a.document_links:
        _document(root, d)
    for type_, ref in a.related:
        etree.SubElement(root, "related-activity", ref=ref, type=type_)
    for r in a.results:
        _result(root, r)
    return root


def _classifications(root: etree._Element, a: IatiActivity) -> None:
    """Where and what: recipient countries, sectors, tags (the SDGs) and policy markers (gender)."""
    for code, pct in a.countries:
        etree.SubElement(root, "recipient-country", _present(code=code, percentage=pct))
    for s in a.sectors:
        attrs = _present(vocabulary=s["vocabulary"], code=s["code"], percentage=s["percentage"])
        _text_element(root, "sector", s.get("narratives", []), **attrs)
    for t in a.tags:
        el = etree.SubElement(
            root,
            "tag",
            _present(vocabulary=t["vocabulary"], code=t["code"], vocabulary_uri=t.get("vocabulary_uri")),
        )
        _narratives(el, t.get("narratives", []))
    for m in a.policy_markers:
        el = etree.SubElement(
            root,
            "policy-marker",
            _present(
                **{
                    k: str(m[k]) if m.get(k) not in (None, "") else ""
                    for k in ("vocabulary", "code", "significance")
                }
            ),
        )
        _narratives(el, m.get("narratives", []))


def _budget(root: etree._Element, b: Budget) -> None:
    attrs = {k: v for k, v in (("type", b.type), ("status", b.status)) if v}
    el = etree.SubElement(root, "budget", attrs)
    etree.SubElement(el, "period-start", {"iso-date": b.start})
    etree.SubElement(el, "period-end", {"iso-date": b.end})
    value = etree.SubElement(el, "value", {"value-date": b.value_date})
    if b.currency:
        value.set("currency", b.currency)
    value.text = b.value


def _transaction(root: etree._Element, t: Transaction) -> None:
    el = etree.SubElement(root, "transaction", {"ref": t.ref} if t.ref else {})
    etree.SubElement(el, "transaction-type", code=t.type)
    etree.SubElement(el, "transaction-date", {"iso-date": t.date})
    value = etree.SubElement(el, "value", {"value-date": t.value_date})
    if t.currency:
        value.set("currency", t.currency)
    value.text = t.value
    if t.descriptions:
        _text_element(el, "description", t.descriptions)
    if t.provider is not None:
        _org(el, "provider-org", t.provider, "provider-activity-id")
    if t.receiver is not None:
        _org(el, "receiver-org", t.receiver, "receiver-activity-id")


def _document(root: etree._Element, d: DocumentLink) -> None:
    el = etree.SubElement(root, "document-link", url=d.url, format=d.format)
    _text_element(el, "title", d.titles)
    for c in d.categories:
        etree.SubElement(el, "category", code=c)
    for lang in d.languages:
        etree.SubElement(el, "language", code=lang)
    if d.date:
        etree.SubElement(el, "document-date", {"iso-date": d.date})


def _result(root: etree._Element, r: Result) -> None:
    attrs = {"type": r.type}
    if r.aggregation_status:
        attrs["aggregation-status"] = r.aggregation_status
    el = etree.SubElement(root, "result", attrs)
    _text_element(el, "title", r.titles)
    if r.descriptions:
        _text_element(el, "description", r.descriptions)
    for i in r.indicators:
        ind_attrs = {"measure": i.measure}
        if i.ascending:
            ind_attrs["ascending"] = i.ascending
        ind = etree.SubElement(el, "indicator", ind_attrs)
        _text_element(ind, "title", i.titles)
        if i.descriptions:
            _text_element(ind, "description", i.descriptions)
        for p in i.periods:
            period = etree.SubElement(ind, "period")
            etree.SubElement(period, "period-start", {"iso-date": p.start})
            etree.SubElement(period, "period-end", {"iso-date": p.end})
            for actual in p.actuals:
                act = etree.SubElement(period, "actual", value=actual.value)
                for name, value in actual.dimensions:
                    etree.SubElement(act, "dimension", name=name, value=value)


# Sources -> IatiActivity records ---------------------------------------------------------------------------


def iati_records(activities: Iterable[Any] | QuerySet) -> Iterator[IatiActivity]:
    """IatiActivity records from internal activities, imported ones or records (see the module docstring)."""
    from hrtc.assistance.models import Activity
    from hrtc.opendata.iati.mapping import Mapper, external_prefetched, prefetched
    from hrtc.opendata.models import ExternalActivity

    mapper = None
    if isinstance(activities, QuerySet):
        if activities.model is Activity:
            mapper = Mapper()
            for activity in prefetched(activities).iterator(chunk_size=CHUNK):
                yield mapper.from_activity(activity)
            return
        if activities.model is ExternalActivity:
            mapper = Mapper()
            for external in external_prefetched(activities).iterator(chunk_size=CHUNK):
                yield mapper.from_external(external)
            return
        raise TypeError(f"Cannot export {activities.model.__name__} as IATI activities.")
    for item in activities:
        if isinstance(item, IatiActivity):
            yield item
            continue
        mapper = mapper or Mapper()
        if isinstance(item, Activity):
            yield mapper.from_activity(_refetch(item, Activity))
        elif isinstance(item, ExternalActivity):
            yield mapper.from_external(item)
        else:
            raise TypeError(f"Cannot export {type(item).__name__} as an IATI activity.")


def _refetch(activity, model):
    from hrtc.opendata.iati.mapping import prefetched

    return prefetched(model.objects.filter(pk=activity.pk)).get()


def write_activities(
    activities: Iterable[Any] | QuerySet,
    fileobj: IO[bytes],
    *,
    generated: datetime | None = None,
    on_activity: Any = None,
) -> int:
    """Write an IATI 2.03 activity file of ``activities`` to the binary file object ``fileobj``, streaming.
    Returns the number of activities written. ``on_activity(record, element)`` is called for each activity
    before it is written (the validator hooks in here)."""
    generated = generated or datetime.now(UTC)
    count = 0
    with etree.xmlfile(fileobj, encoding="utf-8") as xf:
        xf.write_declaration()
        attrs = {"version": VERSION, "generated-datetime": generated.replace(microsecond=0).isoformat()}
        with xf.element("iati-activities", attrs):
            for record in iati_records(activities):
                element = activity_element(record)
                if on_activity is not None:
                    on_activity(record, element)
                xf.write(element, pretty_print=True)
                count += 1
    return count


def activities_document(activities: Iterable[Any] | QuerySet, *, generated: datetime | None = None) -> bytes:
    """The same document in memory (tests, small sets)."""
    import io

    buffer = io.BytesIO()
    write_activities(activities, buffer, generated=generated)
    return buffer.getvalue()


# Organisation files ------------------------------------------------------------------------------------------


def organisation_element(o) -> etree._Element:
    """One ``iati-organisation`` from an ``organisations.IatiOrganisation`` record."""
    attrs = {"last-updated-datetime": o.last_updated, XML_LANG: o.language}
    if o.currency:
        attrs["default-currency"] = o.currency
    root = etree.Element("iati-organisation", attrs)
    etree.SubElement(root, "organisation-identifier").text = o.identifier
    _text_element(root, "name", o.names)
    rep = etree.SubElement(
        root, "reporting-org", {k: v for k, v in (("ref", o.reporting.ref), ("type", o.reporting.type)) if v}
    )
    _narratives(rep, o.reporting.narratives)
    for tag, rows in (("total-budget", o.total_budgets), ("total-expenditure", o.total_expenditures)):
        for row in rows:
            el = etree.SubElement(
                root, tag, {"status": row.status} if row.status and tag == "total-budget" else {}
            )
            etree.SubElement(el, "period-start", {"iso-date": row.start})
            etree.SubElement(el, "period-end", {"iso-date": row.end})
            value = etree.SubElement(el, "value", {"currency": row.currency, "value-date": row.value_date})
            value.text = row.value
    return root


def write_organisations(
    organisations: Iterable[Any],
    fileobj: IO[bytes],
    *,
    generated: datetime | None = None,
    on_organisation: Any = None,
) -> int:
    """Write an IATI 2.03 organisation file (``iati-organisations``) of IatiOrganisation records, streaming."""
    generated = generated or datetime.now(UTC)
    count = 0
    with etree.xmlfile(fileobj, encoding="utf-8") as xf:
        xf.write_declaration()
        attrs = {"version": VERSION, "generated-datetime": generated.replace(microsecond=0).isoformat()}
        with xf.element("iati-organisations", attrs):
            for record in organisations:
                element = organisation_element(record)
                if on_organisation is not None:
                    on_organisation(record, element)
                xf.write(element, pretty_print=True)
                count += 1
    return count
