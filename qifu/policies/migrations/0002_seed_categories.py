"""The policy categories of the district."""

from django.db import migrations

from qifu.policies.seed import install


def seed(apps, schema_editor):
    install(apps.get_model("policies", "PolicyCategory"))


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
