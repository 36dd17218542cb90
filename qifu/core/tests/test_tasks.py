"""Background tasks: inline without a broker, through Redis to a real worker with one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from qifu.core import tasks

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers(url: str) -> bool:
    try:
        return bool(
            redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
        )
    except redis.RedisError:
        return False


def _set_cached_backend(shared: Any, local: Any) -> None:
    """Celery caches the result backend (per app, or per thread); a new broker needs a new one."""
    celery_app._backend_cache = shared
    if local is None:
        celery_app._local.__dict__.pop("backend", None)
    else:
        celery_app._local.backend = local


@pytest.fixture
def redis_app() -> Iterator[Any]:
    """The project's Celery app pointed at Redis db 15, not eager; restored afterwards."""
    if not _redis_answers(REDIS_URL):
        pytest.skip(f"no Redis answers at {REDIS_URL}: the broker round trip is not tested")
    keys = ("broker_url", "result_backend", "task_always_eager", "worker_hijack_root_logger")
    saved = {key: celery_app.conf[key] for key in keys}
    cached_backend = (celery_app._backend_cache, getattr(celery_app._local, "backend", None))
    cached_pools = (celery_app._pool, celery_app.amqp._producer_pool)
    celery_app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        worker_hijack_root_logger=False,
    )
    # connections made for another broker (even eager calls open a producer pool) are not reused
    _set_cached_backend(None, None)
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield celery_app
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        celery_app.conf.update(saved)
        _set_cached_backend(*cached_backend)
        celery_app._pool, celery_app.amqp._producer_pool = cached_pools


def test_without_a_broker_tasks_run_inline(db, settings) -> None:
    assert settings.CELERY_BROKER_URL == ""
    assert celery_app.conf.task_always_eager is True

    result = tasks.calendar_sync.delay()

    assert result.successful()
    assert result.get() == {"years": 0, "days": 0}


def test_ping_runs_inline_without_a_broker() -> None:
    assert tasks.ping.delay("你好").get() == "你好"


def test_a_task_goes_through_redis_to_a_worker(redis_app) -> None:
    with start_worker(redis_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        result = tasks.ping.delay("经由 Redis")

        assert result.get(timeout=10) == "经由 Redis"
        assert result.state == "SUCCESS"
        result.forget()
