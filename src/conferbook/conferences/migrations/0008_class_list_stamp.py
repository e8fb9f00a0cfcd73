import django.db.models.deletion
from django.db import migrations, models


def remove_triggers(apps, schema_editor):
    """Migrated back: the triggers go before the table they write (the migrate command does
    this anyway; a migration run on its own, as in a test, needs it here)."""
    from conferbook.conferences.class_stamps import remove_triggers

    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0007_student_last_conference_index"),
        ("roster", "0006_small_group_moved"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClassListStamp",
            fields=[
                (
                    "classroom",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="roster.classroom",
                    ),
                ),
                ("version", models.BigIntegerField()),
            ],
        ),
        # Forward, the triggers and every class's first stamp come after the migrate (apps.py).
        migrations.RunPython(migrations.RunPython.noop, remove_triggers),
    ]
