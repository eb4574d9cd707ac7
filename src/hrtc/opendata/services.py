"""Writes in the open-data app: translations of an activity's texts for the IATI narratives. (Imported
activities are written by the IATI importer, ``hrtc.opendata.iati.importer``, in one transaction per file.)"""

from __future__ import annotations

from django.db import transaction

from hrtc.accounts import policy
from hrtc.assistance.models import Activity
from hrtc.core import audit
from hrtc.core.exceptions import InvalidInput
from hrtc.opendata.iati import codelists
from hrtc.opendata.models import ActivityTranslation


@transaction.atomic
def activity_translation_set(
    *, by, activity: Activity, field: str, language: str, text: str
) -> ActivityTranslation | None:
    """Set (or, with an empty text, remove) the activity's title or description in another language.
    Whoever may edit the activity may translate it; the language is an ISO 639-1 code of IATI's list."""
    policy.require(by, "assistance.activity.edit", activity)
    if field not in ActivityTranslation.Field.values:
        raise InvalidInput(f"Translate the title or the description, not {field!r}.", field="field")
    language = (language or "").strip().lower()
    if not codelists.check("Language", language):
        raise InvalidInput(f"{language!r} is not an ISO 639-1 language code.", field="language")
    with audit.acting_as(by):
        if not text.strip():
            ActivityTranslation.objects.filter(activity=activity, field=field, language=language).delete()
            return None
        translation, _ = ActivityTranslation.objects.update_or_create(
            activity=activity, field=field, language=language, defaults={"text": text.strip()}
        )
    return translation
