"""Demo requests in several states, offers and activities, so the pages show something real."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from hrtc.accounts.models import Organisation
from hrtc.assistance import services
from hrtc.assistance.choices import ActivityStatus, GenderMarker, Modality
from hrtc.assistance.models import AssistanceRequest, Offer
from hrtc.recommendations.models import Recommendation
from hrtc.reference.models import State, Theme


def _theme(code: str) -> Theme:
    return Theme.objects.get(vocabulary="uhri", code=code)


@transaction.atomic
def load_demo() -> None:
    if AssistanceRequest.objects.filter(title__startswith="[demo]").exists():
        return  # re-runnable: the demo requests exist
    users = get_user_model().objects
    kenya_focal, slovenia_focal = users.get(username="kenya.focal"), users.get(username="slovenia.focal")
    ohchr_officer, unwomen_officer = (
        users.get(username="ohchr.officer"),
        users.get(username="unwomen.officer"),
    )
    ohchr, unwomen = Organisation.objects.get(code="ohchr"), Organisation.objects.get(code="unwomen")
    unct = Organisation.objects.get(code="unct-ken")
    kenya, slovenia = State.objects.get(code="KEN"), State.objects.get(code="SVN")
    today = date.today()

    if not Offer.objects.filter(provider=ohchr).exists():
        services.offer_create(
            by=ohchr_officer,
            provider=ohchr,
            title="Support to national mechanisms for implementation, reporting and follow-up",
            modality=Modality.NMIRF,
            themes=[_theme("A2")],
            languages=["en", "fr", "es", "ar"],
            contact="nmrf@ohchr.org",
        )
        services.offer_create(
            by=ohchr_officer,
            provider=ohchr,
            title="Legislative review against international standards",
            modality=Modality.LEGISLATIVE_REVIEW,
            themes=[_theme("A4")],
            languages=["en", "fr"],
        )
        services.offer_create(
            by=unwomen_officer,
            provider=unwomen,
            title="Gender-responsive budgeting and data",
            modality=Modality.DATA,
            themes=[_theme("F1")],
            languages=["en", "fr", "es"],
            regional_groups=["AFRICAN", "ASIA_PACIFIC"],
        )

    kenyan_recs = list(Recommendation.objects.filter(state_under_review=kenya)[:3])
    draft = services.request_create(
        by=kenya_focal,
        state=kenya,
        title="[demo] Training for prison officers on the prevention of torture",
        needs="Training of trainers for the Kenya Prisons Service.",
        modality=Modality.TRAINING,
        priorities=["Curriculum", "Training of trainers"],
        themes=[_theme("D2")],
    )
    services.request_set_consent(request=draft, by=kenya_focal, providers=[ohchr], publish_summary=False)

    nmirf = services.request_create(
        by=kenya_focal,
        state=kenya,
        title="[demo] Strengthen the national mechanism for reporting and follow-up",
        needs="Set up a tracking database and train the inter-ministerial committee.",
        modality=Modality.NMIRF,
        priorities=["Tracking database", "Training of focal points"],
        themes=[_theme("A2")],
        recommendations=kenyan_recs,
        timeframe_start=today,
        timeframe_end=today + timedelta(days=365),
    )
    services.request_set_consent(request=nmirf, by=kenya_focal, providers=[ohchr, unct], publish_summary=True)
    for step in ("submit", "review", "accept", "start"):
        services.request_transition(
            request=nmirf, by=kenya_focal if step == "submit" else ohchr_officer, name=step
        )

    gender = services.request_create(
        by=slovenia_focal,
        state=slovenia,
        title="[demo] Data on violence against women",
        needs="Disaggregated statistics on gender-based violence.",
        modality=Modality.DATA,
        themes=[_theme("F1")],
    )
    services.request_set_consent(request=gender, by=slovenia_focal, providers=[unwomen], publish_summary=True)
    services.request_transition(request=gender, by=slovenia_focal, name="submit")

    activity = services.activity_create(
        by=ohchr_officer,
        lead_provider=ohchr,
        state=kenya,
        request=nmirf,
        partners=[unct],
        title="[demo] National mechanism workshop",
        modality=Modality.NMIRF,
        planned_start=today,
        planned_end=today + timedelta(days=90),
        budget_amount=Decimal("48500.00"),
        budget_currency="USD",
        gender_marker=GenderMarker.SIGNIFICANT,
        themes=[_theme("A2")],
        recommendations=kenyan_recs,
    )
    services.activity_set_status(
        activity=activity, by=ohchr_officer, status=ActivityStatus.IMPLEMENTATION, actual_start=today
    )
    services.activity_set_participants(
        activity=activity,
        by=ohchr_officer,
        women=18,
        men=14,
        other=1,
        groups={"persons-with-disabilities": 3},
    )
    services.activity_publish(activity=activity, by=ohchr_officer)
