"""The demo's appeals: what the seed says happened, every state of the workflow, built once."""

from __future__ import annotations

from collections import Counter

import pytest

from qifu.appeals import demo as appeal_demo
from qifu.appeals.models import OPEN_STATUSES, Appeal, AppealEvent, Channel, Status
from qifu.audit.models import AuditEvent
from qifu.core import demo

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Appeal.objects.count(), AppealEvent.objects.count(), AuditEvent.objects.count()


def test_the_demo_appeals_tell_the_seed_and_a_second_build_adds_nothing() -> None:
    demo.build()  # the district, its enterprises and accounts, then the appeals

    appeals = Appeal.objects.filter(client_token__startswith=appeal_demo.DEMO_PREFIX)
    solved = appeals.filter(status=Status.CLOSED, resolved=True)
    # 67 problems recorded on the visits; 72 problems solved in 12 categories
    assert appeals.filter(channel=Channel.VISIT).count() == 67
    assert solved.count() == 72
    assert solved.values("category").distinct().count() == 12
    assert appeals.filter(channel=Channel.VISIT, kind="problem").count() > 50
    # every state, with their real events: a timeline that starts at the submission
    statuses = Counter(appeals.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert appeals.filter(status=Status.CLOSED, resolved=False, flagged=True).exists()
    assert appeals.exclude(duplicate_of=None).exists()
    assert appeals.filter(auto_rated=True).exists()
    assert appeals.filter(overdue=True, status__in=OPEN_STATUSES).exists()
    for appeal in appeals.prefetch_related("events"):
        events = list(appeal.events.all())
        assert events[0].action == "submit"
        assert events[0].at == appeal.submitted_at
        assert [e.at for e in events] == sorted(e.at for e in events)
    # the two demo enterprises have something to do
    tianlu = appeals.filter(enterprise__name="天路集团")
    assert tianlu.filter(status=Status.REPLIED).exists()
    assert tianlu.filter(status=Status.CLOSED, resolved=True).exists()
    assert appeals.filter(enterprise__name="瑞丰气体", status=Status.IN_PROGRESS).exists()

    before = _counts()
    result = appeal_demo.build()

    assert result["created"] == 0
    assert _counts() == before
