"""`manage.py loadlibrary`: re-read the built-in goal library files and install them.

The summary line counts categories, goals, strategies and checklists with their items.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from conferbook.goals.library import DEFAULT_PATH, LibraryError, install_library, read_library


class Command(BaseCommand):
    help = (
        "Read the built-in goal library and add or update its categories, goals, "
        "strategies and self-assessment checklists. Never deletes: goals and checklist "
        "items dropped from the files stay for the students working on them or the "
        "self-assessments that answered them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=DEFAULT_PATH,
            help="the library folder (default: the one shipped with Conferbook)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            library = read_library(options["path"])
        except LibraryError as exc:
            raise CommandError(str(exc)) from exc
        report = install_library(library=library)
        if options["verbosity"] == 0:
            return
        self.stdout.write(library.summary())
        if report.changed:
            self.stdout.write(f"Added {report.created} rows, updated {report.updated}.")
        else:
            self.stdout.write("Already up to date.")
