from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkKind(models.TextChoices):
    GOAL = "goal", _("SDG goal")
    THEME = "theme", _("Human-rights theme")


class LinkSource(models.TextChoices):
    HUMAN = "human", _("Added by a person")
    MODEL = "model", _("Suggested by the classifier")
    IMPORT = "import", _("Given by the imported source")


class LinkStatus(models.TextChoices):
    """A model suggestion is `suggested` until a person accepts or rejects it. Human and imported links
    are `accepted`; a person removing any link makes it `rejected`, which re-classification respects."""

    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
