"""Small groups move here from the roster app and gain a goal and a strategy; partnerships.

The small group's table (and its members table) was created by roster 0005 and keeps its
name, so moving the model changes Django's state only; the new columns are added to it.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("goals", "0002_builtin_library"),
        ("roster", "0005_small_groups"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SmallGroup",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=120)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("classroom", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="small_groups", to="roster.classroom")),
                        ("members", models.ManyToManyField(related_name="small_groups", to="roster.student")),
                    ],
                    options={
                        "db_table": "roster_smallgroup",
                        "ordering": ["name", "id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="smallgroup",
            name="goal",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="small_groups", to="goals.goal"),
        ),
        migrations.AddField(
            model_name="smallgroup",
            name="strategy",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="goals.strategy"),
        ),
        migrations.CreateModel(
            name="Partnership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("basis", models.CharField(choices=[("same_goal", "Same goal"), ("complementary", "Complementary"), ("by_hand", "Chosen by the teacher")], default="by_hand", max_length=16)),
                ("reason", models.CharField(blank=True, max_length=300, verbose_name="why they are partners")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("classroom", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="partnerships", to="roster.classroom")),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="PartnershipMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("classroom", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="roster.classroom")),
                ("partnership", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="groups.partnership")),
                ("student", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="partnership_memberships", to="roster.student")),
            ],
            options={
                "ordering": ["id"],
                "constraints": [models.UniqueConstraint(fields=("classroom", "student"), name="one_partnership_per_student_and_class")],
            },
        ),
    ]
