"""The visit questionnaire, version 1."""

from django.db import migrations

from qifu.visits.seed import install


def seed(apps, schema_editor):
    install(
        apps.get_model("visits", "Questionnaire"),
        apps.get_model("visits", "QuestionnaireVersion"),
        apps.get_model("visits", "Question"),
    )


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
