"""Small groups now live in the groups app (groups 0001), in the same table: drop the
roster's model from Django's state only; no table is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("roster", "0005_small_groups"),
        ("scheduling", "0003_small_group_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SmallGroup")],
            database_operations=[],
        ),
    ]
