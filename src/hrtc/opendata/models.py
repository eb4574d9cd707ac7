"""Open data: data model."""

from django.db import models  # noqa: F401
