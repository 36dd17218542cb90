"""The request's client address, made available to services without passing the request around."""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("qifu_client_ip", default=None)
