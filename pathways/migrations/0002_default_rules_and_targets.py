"""Default response targets and routing rules (administrators change them)."""

from django.db import migrations


def forward(apps, schema_editor):
    from pathways.defaults import routing_defaults_ensure

    routing_defaults_ensure(apps)


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
