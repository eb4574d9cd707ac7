from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hrtc.reference.choices import MechanismKind, RegionalGroup, ThemeVocabulary, UnStatus

UN_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")


class Translated(models.Model):
    """A record with an English `name` and its translations in `names` ({"fr": ..., "ar": ...})."""

    name = models.CharField(_("name"), max_length=500)
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)

    class Meta:
        abstract = True

    def localized_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").split("-")[0]
        return self.names.get(language) or self.name

    def __str__(self) -> str:
        return self.name


class State(Translated):
    code = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, primary_key=True)
    alpha2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, unique=True)
    un_status = models.CharField(_("UN status"), max_length=10, choices=UnStatus.choices)
    regional_group = models.CharField(
        _("UN regional group"), max_length=20, choices=RegionalGroup.choices, blank=True
    )
    m49_region = models.CharField(_("M49 region"), max_length=100, blank=True)
    m49_subregion = models.CharField(_("M49 sub-region"), max_length=100, blank=True)
    is_ldc = models.BooleanField(_("least developed country"), default=False)
    is_lldc = models.BooleanField(_("landlocked developing country"), default=False)
    is_sids = models.BooleanField(_("small island developing State"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("State")


class Mechanism(Translated):
    """The UPR, a treaty body, or the special procedures (mandates are children of `SP`)."""

    code = models.CharField(max_length=40, primary_key=True)
    kind = models.CharField(max_length=20, choices=MechanismKind.choices)
    acronym = models.CharField(max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="mandates"
    )

    class Meta:
        ordering = ["kind", "code"]


class SdgGoal(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.TextField()
    titles = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")

    def localized_title(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").split("-")[0]
        return self.titles.get(language) or self.title

    def __str__(self) -> str:
        return f"SDG {self.code}"


class SdgTarget(models.Model):
    code = models.CharField(max_length=6, primary_key=True)
    goal = models.ForeignKey(SdgGoal, on_delete=models.PROTECT, related_name="targets")
    position = models.PositiveSmallIntegerField(
        help_text="Order within the goal: numbered targets, then lettered."
    )
    title = models.TextField()
    titles = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["goal__number", "position"]
        verbose_name = _("SDG target")

    localized_title = SdgGoal.localized_title

    def __str__(self) -> str:
        return f"SDG target {self.code}"


class Theme(Translated):
    """A human-rights theme in a vocabulary (`uhri:B31`, `uprinfo:Women's rights`)."""

    vocabulary = models.CharField(max_length=20, choices=ThemeVocabulary.choices)
    code = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["vocabulary", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="theme_unique_code")]

    @property
    def key(self) -> str:
        return f"{self.vocabulary}:{self.code}"

    def __str__(self) -> str:
        return f"{self.key} {self.name}" if self.code != self.name else self.key


class ThemeMapping(models.Model):
    """Equivalence between vocabularies, so data from UPR Info and the UHRI meet in one taxonomy."""

    source = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="mapped_to")
    target = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="mapped_from")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="theme_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.source.key} → {self.target.key}"


class AffectedGroup(Translated):
    code = models.SlugField(max_length=80, primary_key=True)
    uhri_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]


class Currency(models.Model):
    code = models.CharField(_("ISO 4217 code"), max_length=3, primary_key=True)
    name = models.CharField(max_length=200)
    numeric = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("currencies")

    def __str__(self) -> str:
        return self.code


class Fund(Translated):
    """A UN voluntary fund that finances technical cooperation (four are named by resolution 48/24)."""

    code = models.CharField(max_length=40, primary_key=True)
    acronym = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
