"""Closed and short days, rhythms and time away are now the calendar app's models, on the
same tables: only Django's state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("calendar", "0001_moved_from_scheduling"),
        ("scheduling", "0003_small_group_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SchoolDay"),
                migrations.DeleteModel(name="Rhythm"),
                migrations.DeleteModel(name="Unavailability"),
            ],
            database_operations=[],
        ),
    ]
