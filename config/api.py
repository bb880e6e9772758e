"""API plumbing shared by every app: pagination, one exception handler, domain errors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`, 50 a page by default, `page_size` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class DomainError(Exception):
    """A rule of the domain refused the request; answered as 400 with the message."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def exception_handler(exc, context):
    """Maps domain errors and Django's own exceptions to DRF answers, so no rule violation becomes a 500."""
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({exc.field: [exc.message]} if exc.field else {"detail": exc.message})
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
