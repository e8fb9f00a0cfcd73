"""Install the built-in goal library (categories, goals, strategies) from `library/`.

Later versions of the files are installed by `manage.py loadlibrary`; this migration
only makes sure a new database starts with the library in it.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def install_builtin_library(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from conferbook.goals.library import install_library, read_library

    install_library(library=read_library(), apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_builtin_library, migrations.RunPython.noop),
    ]
