"""The API's filter, ordering and search backends, and the serializer mixin, asking each record's disclosure
decision (``hrtc.core.disclosure``): what a reader may not read, they can neither see, filter, sort nor
search by.

* A filter whose field is public to every reader of the list is applied as usual. A filter on a non-public
  field (``?provider=`` on requests: the providers a State consented to) is accepted only when every row the
  reader's list can contain — after the public filters — is one they read in full (their own State's
  requests, say); otherwise 422 naming the parameter. A method filter names its field with ``field_name``;
  a path that is not a field of the model counts as non-public (fails closed).
* A filter naming another record by its id (``?pledge=``, ``?activity=``) chooses among the records the
  reader may see: an id they may not see is refused exactly as an id that does not exist, so the answer
  does not tell which ids exist.
* Orderings: the view's ``ordering_fields`` (or, when it declares none, the serializer's model fields), each
  under the same rule; an ordering on a private field is refused, not silently ignored.
* Search fields: the same.
* :class:`DisclosedSerializerMixin` drops the fields a reader may not read of each record.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django_filters import rest_framework as django_filters
from django_filters import utils as filter_utils
from rest_framework import filters as drf_filters
from rest_framework import serializers

from hrtc.core import access, disclosure


def _reader(request) -> Any:
    return getattr(request, "user", None) if request is not None else None


def _choices_visible(request, filterset) -> None:
    """Narrow every record-choosing filter to the records the reader may see (the access policy's rows)."""
    from django import forms

    for field in filterset.form.fields.values():
        if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField is one too
            with contextlib.suppress(LookupError):  # a model without rows in the policy: reference data
                field.queryset = access.visible(_reader(request), field.queryset)


class DisclosureFilterBackend(django_filters.DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            _choices_visible(request, filterset)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise filter_utils.translate_validation(filterset.errors)
        decision = disclosure.for_model(queryset.model)
        if decision is None:
            return filterset.qs
        cleaned = filterset.form.cleaned_data
        public, private = [], []
        for name, item in filterset.filters.items():
            path = item.field_name or name
            (public if decision.is_public(path) else private).append(name)
        for name in public:
            queryset = filterset.filters[name].filter(queryset, cleaned.get(name))
        for name in private:
            value = cleaned.get(name)
            if value in (None, "", [], ()) or name not in request.query_params:
                continue
            decision.require_full(_reader(request), queryset, name)
            queryset = filterset.filters[name].filter(queryset, value)
        return queryset


class DisclosureOrderingFilter(drf_filters.OrderingFilter):
    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        decision = disclosure.for_model(queryset.model)
        if ordering and decision is not None and self.ordering_param in request.query_params:
            asked = set(self.get_valid_fields(queryset, view, {"request": request}))
            asked = {name for name, _label in asked}
            for term in ordering:
                if term.lstrip("-") in asked and not decision.is_public(term):
                    decision.require_full(_reader(request), queryset, self.ordering_param)
        return super().filter_queryset(request, queryset, view)


class DisclosureSearchFilter(drf_filters.SearchFilter):
    def filter_queryset(self, request, queryset, view):
        decision = disclosure.for_model(queryset.model)
        terms = self.get_search_terms(request)
        if terms and decision is not None:
            for field in self.get_search_fields(view, request) or ():
                if not decision.is_public(field.lstrip("^=@$")):
                    decision.require_full(_reader(request), queryset, self.search_param)
        return super().filter_queryset(request, queryset, view)


class DisclosedSerializerMixin:
    """For a ModelSerializer of a model with a disclosure decision: each record is written with the fields its
    reader (``context["request"].user``; anonymous without a request) may read. Levels of a list are computed
    once for the whole list."""

    def _levels(self) -> dict:
        cache = self.context.setdefault("_disclosure_levels", {})
        return cache

    def to_representation(self, instance):
        data = super().to_representation(instance)
        decision = disclosure.for_model(type(instance))
        if decision is None:
            return data
        reader = _reader(self.context.get("request"))
        cache = self._levels()
        key = (decision.label, instance.pk)
        if key not in cache:
            parent = getattr(self, "parent", None)
            siblings = (
                getattr(parent, "instance", None) if isinstance(parent, serializers.ListSerializer) else None
            )
            batch = (
                list(siblings) if siblings is not None and not isinstance(siblings, type(instance)) else []
            )
            if instance not in batch:
                batch.append(instance)
            for pk, level in decision.levels(reader, batch).items():
                cache[(decision.label, pk)] = level
        level = cache.get(key, disclosure.Level.NONE)
        keep = set(decision.readable(level, data.keys()))
        if level == disclosure.Level.NONE:
            keep = {"id"} & set(data.keys())
        return {name: value for name, value in data.items() if name in keep}
