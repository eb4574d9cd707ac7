from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned with comments")
    REJECTED = "rejected", _("Rejected")


#: Languages a practice may be written in: the six UN languages first, then others users write in.
LANGUAGES = [
    ("ar", "العربية"),
    ("zh", "中文"),
    ("en", "English"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
    ("pt", "Português"),
    ("other", _("Other")),
]
