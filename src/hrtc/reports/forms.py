"""The parameters form of the reports page. Validation of the values themselves is `Params.parse`'s."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hrtc.accounts.choices import PROVIDER_KINDS
from hrtc.accounts.models import Organisation
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Fund
from hrtc.reports.choices import Audience, ReportKind


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    states = forms.CharField(
        label=_("States (ISO alpha-3, comma-separated)"),
        required=False,
        help_text=_("A country profile needs exactly one, e.g. KEN."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    theme = forms.CharField(label=_("Theme key"), required=False, help_text=_("e.g. uhri:B31"))
    provider = forms.ChoiceField(label=_("Provider"), required=False)
    fund = forms.ChoiceField(label=_("Fund"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[(c.split("-")[0], n) for c, n in settings.LANGUAGES]
    )
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=300)
    audience = forms.ChoiceField(
        label=_("Drawn from"), choices=Audience.choices, initial=Audience.PUBLIC, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["region"].choices = anything + list(RegionalGroup.choices)
        providers = Organisation.objects.filter(kind__in=PROVIDER_KINDS, is_active=True).order_by("name")
        self.fields["provider"].choices = anything + [(o.code, o.name) for o in providers]
        self.fields["fund"].choices = anything + [(f.code, f.name) for f in Fund.objects.all()]
