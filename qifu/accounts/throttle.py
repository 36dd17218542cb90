"""Failed-login throttling: after too many failures for one username from one address, wait."""

from __future__ import annotations

from django.core.cache import cache

from qifu.audit.context import client_ip

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(username: str) -> str:
    return f"qifu:login-failures:{(username or '').lower()[:150]}:{client_ip.get() or '-'}"


def is_locked(username: str) -> bool:
    return (cache.get(_key(username)) or 0) >= MAX_FAILURES


def record_failure(username: str) -> None:
    key = _key(username)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)


def reset(username: str) -> None:
    cache.delete(_key(username))
