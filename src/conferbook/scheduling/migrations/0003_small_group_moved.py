"""A group appointment's small group is now `groups.SmallGroup`: the same table, so the
foreign key in the database is unchanged and only Django's state moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("scheduling", "0002_small_groups"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="groupappointment",
                    name="group",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="appointments", to="groups.smallgroup"),
                ),
            ],
            database_operations=[],
        ),
    ]
