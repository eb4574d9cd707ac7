"""REST framework conventions: pagination and the error format. Imported by DRF settings, so it must
not import DRF's generic views (that would be circular)."""

from django.core.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hrtc.core.exceptions import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Domain errors become HTTP errors with a message a person can act on."""
    if isinstance(exc, DomainError):
        body = {"error": exc.code, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, PermissionDenied) and str(exc):
        response.data = {"error": "permission_denied", "detail": str(exc)}
    return response
