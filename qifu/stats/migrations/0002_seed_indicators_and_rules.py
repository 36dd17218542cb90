"""The monthly form of 规上工业: its indicators and audit rules."""

from django.db import migrations

from qifu.stats.seed import DATASET, INDICATORS, RULES


def seed(apps, schema_editor):
    Indicator = apps.get_model("stats", "Indicator")
    DataSet = apps.get_model("stats", "DataSet")
    ValidationRule = apps.get_model("stats", "ValidationRule")
    indicators = []
    for order, (code, name, unit, kind, money, negative) in enumerate(INDICATORS):
        indicator, _created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "is_money": money,
                "may_be_negative": negative,
                "sort_order": order,
            },
        )
        indicators.append(indicator)
    dataset, _created = DataSet.objects.get_or_create(
        code=DATASET[0], defaults={"name": DATASET[1]}
    )
    dataset.indicators.add(*indicators)
    for order, row in enumerate(RULES):
        code, name, for_each, condition, left, operator, right, importance, missing, text = row
        ValidationRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "for_each": for_each,
                "condition": condition,
                "left": left,
                "operator": operator,
                "right": right,
                "importance": importance,
                "missing_values": missing,
                "instruction": text,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
