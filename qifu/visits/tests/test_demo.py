"""The demo's visits: the leaders' and the street staff's responsibility over the key enterprises,
the visits that found the seed's 67 problems, coverage over the last four quarters with 天路集团
still to visit this quarter, a few red flags, drafts and plans; a second build adds nothing.

The visits tests' clock (qifu/visits/tests/conftest.py) stands at 2026-10-20, three weeks into
2026Q4: the demo is built relative to that day.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from django.utils import timezone

from qifu.accounts.models import User
from qifu.appeals import demo as appeal_demo
from qifu.appeals.models import Appeal
from qifu.audit.models import AuditEvent
from qifu.core import demo
from qifu.core.models import OrgUnit
from qifu.enterprises import demo as enterprise_demo
from qifu.enterprises.models import Enterprise
from qifu.lib.quarters import Span
from qifu.visits import demo as visits_demo
from qifu.visits import selectors
from qifu.visits.models import (
    Assignment,
    PlanStatus,
    RedFlag,
    RedFlagSource,
    Visit,
    VisitKind,
    VisitPlan,
    VisitStatus,
)
from qifu.visits.seed import QUESTIONS

pytestmark = pytest.mark.django_db

REQUIRED = [q["code"] for q in QUESTIONS if q.get("required")]


def _prerequisites() -> None:
    """What runs before the visits in `qifu.core.demo.build`: the enterprises, the accounts and
    the appeals (the org is already built)."""
    enterprise_demo.build()
    demo.build_accounts()
    appeal_demo.build()


def _counts() -> tuple[int, ...]:
    return (
        Visit.objects.count(),
        Visit.appeals.through.objects.count(),
        Assignment.objects.count(),
        RedFlag.objects.count(),
        VisitPlan.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_records_the_visits_that_found_the_seeds_problems_once() -> None:
    _prerequisites()
    today = timezone.localdate()

    made = visits_demo.build()
    first = _counts()
    again = visits_demo.build()

    assert set(again.values()) == {0}
    assert _counts() == first
    assert made["linked"] == 67

    # each of the 67 problems heard on a visit is linked to the final visit where it was heard:
    # its submitter went, the enterprise was met, on or before the day it was submitted
    appeals = Appeal.objects.filter(
        client_token__startswith=appeal_demo.DEMO_PREFIX, channel="visit"
    ).prefetch_related("visits__officials", "visits__enterprises")
    assert appeals.count() == 67
    for appeal in appeals:
        visits = list(appeal.visits.all())
        assert len(visits) == 1
        visit = visits[0]
        assert visit.status == VisitStatus.FINAL
        assert visit.kind == VisitKind.ONSITE
        assert appeal.submitted_by in visit.officials.all()
        assert appeal.enterprise in visit.enterprises.all()
        assert visit.date <= timezone.localdate(appeal.submitted_at)
        assert appeal.title in visit.notes
        assert all(code in visit.answers for code in REQUIRED)
        assert visit.created_at.date() <= appeal.submitted_at.date()
    assert AuditEvent.objects.filter(action="visit.link_appeal").count() == 67

    # every final visit answered the required questions and says what was discussed; the
    # questionnaire varies
    finals = Visit.objects.filter(status=VisitStatus.FINAL)
    assert all(v.notes and all(c in v.answers for c in REQUIRED) for v in finals)
    assert len({v.answers.get("output_outlook") for v in finals}) >= 3
    kinds = set(finals.values_list("kind", flat=True))
    assert {VisitKind.ONSITE, VisitKind.PHONE, VisitKind.SYMPOSIUM} <= kinds
    symposiums = finals.filter(kind=VisitKind.SYMPOSIUM).prefetch_related("enterprises")
    assert 3 <= len(symposiums) <= 5
    assert all(s.enterprises.count() >= 3 for s in symposiums)
    # recorded on the day of the visit, and audited then
    visit = finals.order_by("date").first()
    assert visit is not None
    assert timezone.localdate(visit.completed_at) == visit.date
    event = AuditEvent.objects.get(action="visit.complete", object_id=str(visit.pk))
    assert timezone.localdate(event.created_at) == visit.date

    # responsibility: the key enterprises by name to their responsible leader, the leaders over
    # all the streets, the street staff over their own
    key = Enterprise.objects.filter(is_key=True)
    assert key.count() >= 60
    named = Assignment.objects.filter(enterprise__isnull=False).select_related("enterprise")
    assert {a.enterprise_id for a in named} == set(key.values_list("pk", flat=True))
    assert all(a.official_id == a.enterprise.responsible_leader_id for a in named)
    streets = Assignment.objects.filter(street__isnull=False)
    assert set(streets.values_list("street__code", flat=True)) == set(
        OrgUnit.objects.filter(level="street", code__startswith="370213").values_list(
            "code", flat=True
        )
    )
    assert streets.get(official__username="licun").street.name == "李村街道"
    assert streets.get(official__username="loushan").street.name == "楼山街道"
    assert all(a.key_only and a.visits_per_quarter == 1 for a in streets)
    starts = {a.starts_on for a in Assignment.objects.all()}
    assert starts == {visits_demo.quarters(today)[0].first_day}

    # coverage: most key enterprises visited in each past quarter, partly this quarter
    leader = User.objects.get(username="leader")
    *past, current = visits_demo.quarters(today)
    for span in past:
        coverage = selectors.coverage(user=leader, span=span)
        assert coverage.assigned >= 60
        assert coverage.rate is not None and coverage.rate >= 0.75
    coverage = selectors.coverage(user=leader, span=current)
    assert coverage.rate is not None and 0.35 <= coverage.rate <= 0.8

    # 天路集团 is licun's (through 李村街道) and not visited yet this quarter
    licun = User.objects.get(username="licun")
    street = selectors.coverage(user=licun, span=Span.quarter_of(today))
    tianlu = next(r for r in street.enterprises if r.name == "天路集团")
    assert licun.pk in tianlu.officials
    assert tianlu.visits == 0 and not tianlu.visited
    assert 0 < street.visited < street.assigned
    assert not finals.filter(enterprises__name="天路集团", date__gte=current.first_day).exists()

    # red flags: derived from the answers and set at a symposium, one or two resolved
    flags = RedFlag.objects.all()
    assert 4 <= flags.count() <= 8
    assert 1 <= flags.filter(resolved_at__isnull=False).count() <= 2
    assert flags.filter(source=RedFlagSource.QUESTIONNAIRE).count() >= 3
    assert flags.filter(source=RedFlagSource.OFFICIAL).exists()
    assert len(set(flags.values_list("kind", flat=True))) >= 4
    assert selectors.red_flags_for_user(user=leader).count() >= 3

    # drafts of the sign-in accounts, licun's among them, and plans for the next two weeks
    drafts = Visit.objects.filter(status=VisitStatus.DRAFT)
    assert 2 <= drafts.count() <= 3
    assert drafts.filter(created_by=licun).count() == 1
    assert not drafts.filter(enterprises__name="天路集团").exists()
    planned = VisitPlan.objects.filter(status=PlanStatus.PLANNED)
    assert 3 <= planned.count() <= 6
    assert all(today <= p.date <= today + dt.timedelta(days=16) for p in planned)
    assert VisitPlan.objects.filter(status=PlanStatus.DONE, visits__isnull=False).exists()


def test_without_the_district_leaders_the_demo_does_nothing() -> None:
    made = visits_demo.build()

    assert set(made.values()) == {0}
    assert not Visit.objects.exists()


def test_the_core_demo_builds_the_visits_after_the_appeals() -> None:
    source = inspect.getsource(demo.build)

    assert source.index("appeal_demo.build()") < source.index("visits_demo.build()")
    assert source.index("enterprise_demo.build()") < source.index("visits_demo.build()")
