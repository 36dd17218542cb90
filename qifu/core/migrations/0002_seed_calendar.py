"""Seed the working-day calendar from the chinese-calendar package (holidays and 调休 workdays)."""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    from qifu.core.services import HOLIDAY_NAMES

    Holiday = apps.get_model("core", "Holiday")
    if Holiday.objects.exists():
        return
    rows = {}
    for day, name in chinese_calendar.holidays.items():
        rows[day] = ("holiday", HOLIDAY_NAMES.get(name, name or ""))
    for day, name in chinese_calendar.workdays.items():
        rows[day] = ("workday", HOLIDAY_NAMES.get(name, name or ""))
    Holiday.objects.bulk_create(
        [Holiday(date=day, kind=kind, name=name) for day, (kind, name) in sorted(rows.items())]
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
