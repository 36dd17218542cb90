"""The twelve appeal categories (帮助企业"办"), and the default time limits."""

from django.db import migrations

from qifu.appeals.categories import CATEGORIES


def seed(apps, schema_editor):
    Category = apps.get_model("appeals", "Category")
    TimeLimits = apps.get_model("appeals", "TimeLimits")
    for order, (code, name, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
    if not TimeLimits.objects.exists():
        TimeLimits.objects.create()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
