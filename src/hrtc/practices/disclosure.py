"""What each reader may see of good practices (the one decision per kind of record, ``hrtc.core.disclosure``),
registered in ``PracticesConfig.ready()``.

* **Practice.** Published: everyone. Submitted, in review, returned, rejected or unpublished: the author, the
  organisation they submitted for, moderators (OHCHR's writers, platform administrators). Whoever sees a
  practice reads all of it.
* **Moderation history** (events with moderators' comments): the author's side (the author, writers of their
  organisation) and moderators only — never the public, even of a published practice.
* **Attachments**: whoever sees the practice.
"""

from __future__ import annotations

from django.db.models import Q

from hrtc.core.disclosure import Disclosure, register


def practice_rows(p, via: str = "") -> Q | bool:
    from hrtc.practices.access import PRACTICE_MODERATORS

    if PRACTICE_MODERATORS(p):
        return True
    condition = Q(**{f"{via}status": "published"})
    if p.user_id is not None:
        condition |= Q(**{f"{via}submitted_by_id": p.user_id})
    if p.organisation_ids():
        condition |= Q(**{f"{via}organisation_id__in": p.organisation_ids()})
    return condition


def history_rows(p) -> Q | bool:
    from hrtc.accounts.policy import WRITE_ROLES
    from hrtc.practices.access import PRACTICE_MODERATORS

    if PRACTICE_MODERATORS(p):
        return True
    condition = Q(pk__in=[])
    if p.user_id is not None:
        condition |= Q(practice__submitted_by_id=p.user_id)
    writers = p.organisation_ids(WRITE_ROLES)
    if writers:
        condition |= Q(practice__organisation_id__in=writers)
    return condition


def _every_field(model) -> frozenset[str]:
    return frozenset(
        {f.name for f in model._meta.get_fields()} | {f.attname for f in model._meta.concrete_fields}
    )


def register_all() -> None:
    from hrtc.practices.models import Attachment, Practice, PracticeEvent

    register(
        Disclosure(
            label="practices.practice",
            rows=practice_rows,
            full=practice_rows,
            public_fields=_every_field(Practice),
            rows_description="published: everyone; otherwise the author, their organisation, moderators",
            full_description="whoever sees the practice",
        )
    )
    register(
        Disclosure(
            label="practices.practiceevent",
            rows=history_rows,
            full=history_rows,
            public_fields=_every_field(PracticeEvent),
            rows_description="the author, writers of their organisation, moderators (never the public)",
            full_description="the author, writers of their organisation, moderators",
        )
    )
    register(
        Disclosure(
            label="practices.attachment",
            rows=lambda p: practice_rows(p, "practice__"),
            full=lambda p: practice_rows(p, "practice__"),
            public_fields=_every_field(Attachment),
            rows_description="whoever sees the practice",
            full_description="whoever sees the practice",
        )
    )
