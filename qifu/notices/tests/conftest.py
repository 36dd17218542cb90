"""Fixtures of the notification tests. The cast comes from qifu/conftest.py."""

from __future__ import annotations

import pytest

from qifu.appeals.models import Appeal
from qifu.appeals.tests.factories import AppealFactory


@pytest.fixture
def appeal(tianlu, leader, jxj_clerk) -> Appeal:
    # a submitted appeal of 天路集团, recorded by a clerk of 李村街道; the dispatchers were told
    return AppealFactory(enterprise=tianlu)
