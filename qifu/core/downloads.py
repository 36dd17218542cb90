"""Responses that download a file."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from qifu.lib.xlsx import XLSX_MIME


def xlsx_response(content: bytes, name: str, *, stamped: bool = True) -> HttpResponse:
    """An Excel attachment named `<name>-YYYYMMDD-HHMM.xlsx` (or `<name>.xlsx`)."""
    stamp = timezone.localtime().strftime("-%Y%m%d-%H%M") if stamped else ""
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{name}{stamp}.xlsx"'
    return response
