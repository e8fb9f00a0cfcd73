import secrets

import django.db.models.deletion
from django.db import migrations, models


def stamp_every_class(apps, schema_editor):
    """Every class starts with a stamp, so its list may be kept from the first page on (the
    triggers, made after the migration, stamp the classes made later)."""
    Classroom = apps.get_model("roster", "Classroom")
    ClassListStamp = apps.get_model("conferences", "ClassListStamp")
    ClassListStamp.objects.bulk_create(
        ClassListStamp(classroom_id=pk, version=secrets.randbits(62))
        for pk in Classroom.objects.values_list("pk", flat=True)
    )


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
        migrations.RunPython(stamp_every_class, remove_triggers),
    ]
