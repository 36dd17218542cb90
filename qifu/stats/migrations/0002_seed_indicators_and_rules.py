"""The monthly form of 规上工业: its indicators and audit rules."""

from django.db import migrations

from qifu.stats.seed import install


def seed(apps, schema_editor):
    install(
        apps.get_model("stats", "Indicator"),
        apps.get_model("stats", "DataSet"),
        apps.get_model("stats", "ValidationRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
