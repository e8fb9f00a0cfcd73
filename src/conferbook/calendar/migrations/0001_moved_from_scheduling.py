"""Closed and short days, rhythms and time away move here from the scheduling app, so that
every app below scheduling (conferences above all) can ask the class calendar.

The tables keep their names (created by scheduling 0001), so moving the models changes
Django's state only.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("roster", "0006_small_group_moved"),
        ("scheduling", "0003_small_group_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SchoolDay",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("day", models.DateField()),
                        ("closed", models.BooleanField(default=True)),
                        ("ends_at", models.TimeField(blank=True, help_text="For a shortened day.", null=True)),
                        ("note", models.CharField(blank=True, max_length=120)),
                        ("classroom", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="school_days", to="roster.classroom")),
                    ],
                    options={
                        "db_table": "scheduling_schoolday",
                        "ordering": ["day"],
                        "constraints": [models.UniqueConstraint(fields=("classroom", "day"), name="one_entry_per_class_day")],
                    },
                ),
                migrations.CreateModel(
                    name="Rhythm",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("see_more_often", models.BooleanField(default=False)),
                        ("classroom", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="roster.classroom")),
                        ("student", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="rhythms", to="roster.student")),
                    ],
                    options={
                        "db_table": "scheduling_rhythm",
                        "constraints": [models.UniqueConstraint(fields=("classroom", "student"), name="one_rhythm_per_student")],
                    },
                ),
                migrations.CreateModel(
                    name="Unavailability",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("weekday", models.PositiveSmallIntegerField(choices=[(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")])),
                        ("start", models.TimeField()),
                        ("end", models.TimeField()),
                        ("note", models.CharField(blank=True, max_length=120)),
                        ("classroom", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="roster.classroom")),
                        ("student", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="unavailabilities", to="roster.student")),
                    ],
                    options={
                        "db_table": "scheduling_unavailability",
                        "ordering": ["weekday", "start"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
