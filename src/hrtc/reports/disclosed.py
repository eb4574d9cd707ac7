"""What a report drawn from public data disclosed, and whether the public may still see all of it.

A public report counts and lists records that are public only while their State consents: activities (published
*and* consented now) and requests (their summary, while the State allows it). A saved report version is a
frozen artefact: when a State later withdraws consent it is not rewritten, but it stops being served to the
public and is marked withdrawn (DESIGN, "Consent and copies"). So the queries note the consent-dependent
records they draw on (:meth:`hrtc.reports.queries.Scope.disclose`), the manifest of a public report records
them under ``disclosed`` (model label → compact id ranges such as ``"1-3,7"``), and :func:`no_longer_public`
tells, for many versions at once, which of the records they disclosed the public may no longer see — asked of
each record's own disclosure decision (``hrtc.core.disclosure``), never rewritten here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from django.apps import apps

from hrtc.core import disclosure

#: The kinds of record whose public view depends on a State's consent (see ``hrtc.assistance.disclosure``).
CONSENT_DEPENDENT = frozenset({"assistance.activity", "assistance.assistancerequest"})
#: Ids asked about per query (well under every database's limit on parameters).
CHUNK = 500


def encode(ids: Iterable[int]) -> str:
    """Ids as sorted ranges: ``[7, 1, 2, 3]`` → ``"1-3,7"`` (a report's records are mostly consecutive)."""
    parts: list[str] = []
    run: list[int] = []
    for pk in sorted(set(ids)):
        if run and pk == run[-1] + 1:
            run[-1] = pk
            continue
        if run:
            parts.append(_span(run))
        run = [pk, pk]
    if run:
        parts.append(_span(run))
    return ",".join(parts)


def _span(run: list[int]) -> str:
    first, last = run
    return str(first) if first == last else f"{first}-{last}"


def decode(text: str) -> list[int]:
    ids: list[int] = []
    for part in filter(None, (text or "").split(",")):
        first, _sep, last = part.partition("-")
        ids.extend(range(int(first), int(last or first) + 1))
    return ids


def no_longer_public(
    disclosed: Mapping[Hashable, Mapping[str, str]],
) -> dict[Hashable, dict[str, list[int]]]:
    """For each report (any key → its manifest's ``disclosed``), the records it disclosed that an anonymous
    reader no longer sees (deleted ones included), by model label; reports whose records are all still public
    are left out. One query per kind of record and CHUNK ids, whatever the number of reports."""
    wanted: dict[str, set[int]] = {}
    for records in disclosed.values():
        for label, text in (records or {}).items():
            wanted.setdefault(label, set()).update(decode(text))
    public: dict[str, set[int]] = {}
    for label, ids in wanted.items():
        model = apps.get_model(label)
        decision = disclosure.of(model)
        ordered = sorted(ids)
        public[label] = set()
        for start in range(0, len(ordered), CHUNK):
            chunk = model._default_manager.filter(pk__in=ordered[start : start + CHUNK])
            public[label].update(decision.visible(None, chunk).values_list("pk", flat=True))
    stale: dict[Hashable, dict[str, list[int]]] = {}
    for key, records in disclosed.items():
        gone = {
            label: missing
            for label, text in sorted((records or {}).items())
            if (missing := sorted(set(decode(text)) - public[label]))
        }
        if gone:
            stale[key] = gone
    return stale
