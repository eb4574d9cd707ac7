"""Demo: the published demo activity's title in French and Spanish, so the IATI export shows multilingual
narratives (`hrtc export iati -o demo.xml --validate`)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from hrtc.assistance.models import Activity
from hrtc.opendata import services

TITLES = {
    "fr": "[démo] Atelier sur le mécanisme national",
    "es": "[demo] Taller sobre el mecanismo nacional",
}


@transaction.atomic
def load_demo() -> None:
    activity = Activity.objects.filter(title="[demo] National mechanism workshop").first()
    officer = get_user_model().objects.filter(username="ohchr.officer").first()
    if activity is None or officer is None or activity.translations.exists():
        return
    for language, text in TITLES.items():
        services.activity_translation_set(
            by=officer, activity=activity, field="title", language=language, text=text
        )
