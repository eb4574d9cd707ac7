from django.db.models import QuerySet

from hrtc.accounts.choices import PROVIDER_KINDS
from hrtc.accounts.models import Organisation


def providers(queryset: QuerySet[Organisation] | None = None) -> QuerySet[Organisation]:
    """Organisations that provide technical assistance: OHCHR, UN agencies and teams, regional bodies."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    return queryset.filter(kind__in=PROVIDER_KINDS, is_active=True)
