"""Install the built-in self-assessment checklists from `library/checklists/`.

Migration 0002 installed the goals before 0003 created the checklist tables, so it could
not add the checklists; this one installs the whole library again (the goals are already
there and stay as they are) now that the tables exist. Later versions of the files are
installed by `manage.py loadlibrary`.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def install_builtin_checklists(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from conferbook.goals.library import install_library, read_library

    install_library(library=read_library(), apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0003_strength_goal_and_checklists"),
    ]

    operations = [
        migrations.RunPython(install_builtin_checklists, migrations.RunPython.noop),
    ]
