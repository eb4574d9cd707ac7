"""`{% load sanitize %}{{ practice.body|sanitized }}`: stored rich text is shown through nh3 on every render,
never with `|safe`. The body is sanitised when it is saved, too; cleaning again on the way out means a body
written around the model (an SQL update, a restored backup) is still never served raw."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from hrtc.practices.sanitize import clean_html

register = template.Library()


@register.filter
def sanitized(value) -> SafeString:
    return mark_safe(clean_html(str(value or "")))  # noqa: S308 - nh3's output: the allow-list in sanitize.py
