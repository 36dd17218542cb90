"""How the monthly-data rollups scale: time and queries against the number of enterprises.

Builds a throw-away SQLite database (or the one DATABASE_URL names, as a test database), fills
it with N above-scale enterprises spread over the demo district's streets, each with 13 accepted
months, and times the district's rollup (with enterprise contributions), the 13-month trend and
completeness. Prints one line per size. Run with `make bench` or `python bench/stats_rollup.py`.
"""

from __future__ import annotations

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-not-for-any-real-deployment-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (100, 1000, 5000)
MONTHS = 13
END = "202610"


def build(size: int) -> None:
    from qifu.core.demo import build_org
    from qifu.core.models import Level, OrgUnit
    from qifu.enterprises.models import Enterprise
    from qifu.lib.credit_code import with_check_digit
    from qifu.stats.models import DataSet, Listing, Submission, Value
    from qifu.stats.periods import Period

    build_org()
    Value.objects.all().delete()
    Submission.objects.all().delete()
    Listing.objects.all().delete()
    Enterprise.objects.all().delete()
    streets = list(OrgUnit.objects.filter(level=Level.STREET, code__startswith="370213"))
    dataset = DataSet.objects.get(code="industry-monthly")
    indicators = list(dataset.indicators.all())
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准测试企业{n:05d}",
            credit_code=with_check_digit(f"91370213MA{n:07d}"),
            street=streets[n % len(streets)],
            industry_code="3434",
            industry_section="C",
            is_above_scale=True,
        )
        for n in range(size)
    )
    Listing.objects.bulk_create(
        Listing(dataset=dataset, enterprise=e, since="202001") for e in enterprises
    )
    end = Period.parse(END)
    periods = [end.shift(-n) for n in range(MONTHS)]
    forms = Submission.objects.bulk_create(
        Submission(dataset=dataset, enterprise=e, period=str(p), status="accepted")
        for e in enterprises
        for p in periods
    )
    values = []
    for form in forms:
        month = int(form.period[4:])
        base = Decimal(1000 + form.enterprise_id % 97)
        for indicator in indicators:
            values.append(
                Value(
                    submission=form,
                    indicator=indicator,
                    month=base,
                    ytd=base * month,
                    base_month=base - 10,
                    base_ytd=(base - 10) * month,
                )
            )
    Value.objects.bulk_create(values, batch_size=5000)


def measure(size: int) -> str:
    from qifu.core.models import OrgUnit
    from qifu.stats import selectors
    from qifu.stats.models import DataSet
    from qifu.stats.periods import Period

    dataset = DataSet.objects.get(code="industry-monthly")
    district = OrgUnit.objects.get(code="370213")
    output = dataset.indicators.get(code="output")
    period = Period.parse(END)
    figures = []
    for label, call in (
        (
            "rollup",
            lambda: selectors.rollup(
                dataset=dataset,
                period=period,
                unit=district,
                indicator=output,
                with_enterprises=True,
            ),
        ),
        (
            "trend",
            lambda: selectors.trend(dataset=dataset, end=period, unit=district, indicator=output),
        ),
        (
            "completeness",
            lambda: selectors.completeness(dataset=dataset, period=period, unit=district),
        ),
    ):
        call()  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            call()
            elapsed = time.perf_counter() - start
        figures.append(f"{label} {elapsed * 1000:7.1f} ms / {len(queries)} queries")
    return f"{size:>5} enterprises: " + " · ".join(figures)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(f"stats rollups on {connection.vendor}, {MONTHS} accepted months per enterprise")
        for size in SIZES:
            build(size)
            print(measure(size))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
