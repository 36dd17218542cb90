"""REST plumbing shared by every app: pagination, errors as JSON with a Chinese message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


class Conflict(exceptions.APIException):
    """A transition that is not allowed from the current state."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _messages(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError as 400, with `detail` always one message.

    Field errors stay under `errors` ({field: [messages]}), so a client can show them by field.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or outside your scope."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "detail": _("The input is not valid: %(errors)s")
            % {"errors": "；".join(_messages(errors))},
            "errors": errors,
        }
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": "；".join(_messages(response.data))}
    return response


def query_bool(value: str | None) -> bool | None:
    """A query-string flag: true/1 or false/0; anything else means "not filtered"."""
    return {"true": True, "1": True, "false": False, "0": False}.get((value or "").lower())
