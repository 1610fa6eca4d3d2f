from django.db import migrations


def load(apps, schema_editor):
    from reports.services import targets_load_defaults

    targets_load_defaults(target_model=apps.get_model("reports", "Target"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_targets_populations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
