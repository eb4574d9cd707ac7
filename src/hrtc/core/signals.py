"""Signals between apps. `records_imported(sender=Model, ids=[...])` is sent by bulk importers, which write
with raw SQL and so bypass the model signals that keep derived data (the search index) in step."""

from django.dispatch import Signal

records_imported = Signal()
