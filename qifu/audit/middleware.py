from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from qifu.audit.context import client_ip


def request_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind the reverse proxy the proxy sets it (see docs/deploy.md)."""
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(request_ip(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
