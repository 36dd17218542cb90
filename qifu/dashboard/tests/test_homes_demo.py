"""On the demo data: every count on every demo account's home equals the list it links to."""

from __future__ import annotations

import pytest

from qifu.accounts.models import User
from qifu.core import demo
from qifu.dashboard.tests.test_homes import assert_figures_match_their_lists

pytestmark = pytest.mark.django_db

ACCOUNTS = ["leader", "jxj", "zrj", "tcj", "tjj", "licun", "loushan", "tianlu", "ruifeng"]


def test_on_the_demo_every_count_of_every_home_equals_its_list(client, settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.build()

    shown = 0
    for username in ACCOUNTS:
        found = assert_figures_match_their_lists(client, User.objects.get(username=username))
        assert found, username
        shown += sum(1 for value, _url in found.values() if value)

    assert shown > 20  # the demo has something waiting for most of them
