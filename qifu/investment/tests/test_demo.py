"""The demo's investment promotion: the seed's channels, leads in several states with their
follow-ups, the resource database; a second build adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from qifu.audit.models import AuditEvent
from qifu.core import demo
from qifu.investment import demo as investment_demo
from qifu.investment.models import Channel, ChannelContact, ContactLog, FollowUp, Lead, Resource

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Channel.objects.count(),
        ChannelContact.objects.count(),
        ContactLog.objects.count(),
        Lead.objects.count(),
        FollowUp.objects.count(),
        Resource.objects.count(),
        AuditEvent.objects.filter(action__startswith="investment.").count(),
    )


def test_the_demo_builds_the_seeds_channels_leads_and_resources_once() -> None:
    demo.build_accounts()  # the district's accounts (tcj, leader); the org is already built

    made = investment_demo.build()
    first = _counts()
    again = investment_demo.build()

    assert made == {"channels": 10, "leads": len(investment_demo.LEADS), "resources": 20}
    assert again == {"channels": 0, "leads": 0, "resources": 0}
    assert _counts() == first
    names = set(Channel.objects.values_list("name", flat=True))
    assert {"市发改委", "市经贸委", "市经合办", "青岛温州商会", "青岛泉州商会"} <= names
    assert Channel.objects.filter(kind="chamber").count() == 5
    assert 15 <= Lead.objects.count() <= 25
    statuses = Counter(Lead.objects.values_list("status", flat=True))
    assert statuses.keys() == {"new", "following", "dropped"}
    assert Lead.objects.filter(title="鲁抗医药物流中心", amount=7000).exists()
    kinds = Counter(Resource.objects.values_list("kind", flat=True))
    assert kinds.keys() == {"land", "plant", "building"}
    assert set(Resource.objects.values_list("status", flat=True)) == {
        "available",
        "reserved",
        "taken",
    }
    assert ContactLog.objects.exists() and FollowUp.objects.exists()


def test_without_the_investment_clerk_the_demo_does_nothing() -> None:
    assert investment_demo.build() == {"channels": 0, "leads": 0, "resources": 0}
