"""The `conferbook` command.

conferbook serve [--host H] [--port P] [--demo-if-empty]   migrate (after a backup) and serve
conferbook demo                                             load or reset the demo class
conferbook backup [PATH]                                    a consistent copy of the database
conferbook print KIND --class C [--student S] [NAME=VALUE...]  a PDF (cards, stickers, ...)
conferbook manage ARGS...                                   any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conferbook.settings")
    import django

    django.setup()


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def backup_database(target: Path | None = None) -> Path | None:
    """Copy the SQLite database with VACUUM INTO (safe while others write).

    Returns the backup's path, or None when the database is not SQLite or does not exist yet.
    """
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3" or not Path(db["NAME"]).exists():
        return None
    if target is None:
        folder = settings.DATA_DIR / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"conferbook-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(target)])
    return target


def migrate() -> None:
    """Migrate the database, backing it up first whenever there is something to apply."""
    from django.core.management import call_command
    from django.db import connection

    if _pending_migrations():
        # A brand-new database has nothing to lose; any other is copied before upgrading.
        if "django_migrations" in connection.introspection.table_names():
            saved = backup_database()
            if saved:
                print(f"Backed up the database before upgrading: {saved}")
        call_command("migrate", interactive=False, verbosity=0)
    # The built-in goal library may be newer than the database's copy (idempotent).
    call_command("loadlibrary", verbosity=0)
    from conferbook.accounts.selectors import use_school_time
    from conferbook.accounts.services import ensure_school

    # From here on, times are the school's (saved once, so they never follow the machine).
    use_school_time(ensure_school())


def _print_demo(result: object) -> None:
    print()
    print("  The demo class is ready.")
    print(f"  Sign in as:  {result.username}")  # type: ignore[attr-defined]
    print(f"  Password:    {result.password}")  # type: ignore[attr-defined]
    print("  (A new password is made each time the demo is loaded: `conferbook demo`.)")
    print()


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    migrate()
    from conferbook.accounts.models import User

    if args.demo_if_empty and not User.objects.exists():
        from conferbook.demo import load_demo

        _print_demo(load_demo())
    import waitress

    from conferbook.wsgi import application

    url = f"http://{args.host}:{args.port}/"
    print(f"Conferbook is running at {url}  (data in {settings.DATA_DIR})")
    from conferbook.accounts.selectors import current_school

    print(f"Times are shown in {current_school().time_zone} (change it in School settings).")
    print("Press Ctrl+C to stop.")
    waitress.serve(application, host=args.host, port=args.port, threads=args.threads, ident="")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    migrate()
    from conferbook.demo import load_demo

    _print_demo(load_demo())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    saved = backup_database(Path(args.path) if args.path else None)
    if saved is None:
        print("Nothing to back up: the database is not SQLite (use your database's own tools).")
        return 1
    print(f"Backed up to {saved}")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from conferbook.accounts.selectors import use_school_time
    from conferbook.printables.command import CommandError, run

    use_school_time()

    try:
        written = run(args)
    except CommandError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Wrote {written}")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["conferbook manage", *args.args])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="conferbook", description="A conferring notebook.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate and serve the web app")
    serve.add_argument("--host", default=os.environ.get("CONFERBOOK_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("CONFERBOOK_PORT", "8000")))
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument(
        "--demo-if-empty", action="store_true", help="load the demo class into an empty database"
    )
    serve.set_defaults(func=cmd_serve)
    demo = commands.add_parser("demo", help="load (or reset) the demo class")
    demo.set_defaults(func=cmd_demo)
    backup = commands.add_parser("backup", help="copy the SQLite database safely")
    backup.add_argument("path", nargs="?")
    backup.set_defaults(func=cmd_backup)
    printing = commands.add_parser(
        "print",
        help="print a PDF: cards, stickers, strips, chart, calendar, poster, checklists, reports",
    )
    printing.add_argument("kind", help="what to print")
    printing.add_argument("--class", dest="classroom", required=True, help="class name or id")
    printing.add_argument("--student", help="one student (name or id) instead of the class")
    printing.add_argument("-o", "--output", help="where to write the PDF (default: its name)")
    printing.add_argument("choices", nargs="*", metavar="NAME=VALUE")
    printing.set_defaults(func=cmd_print)
    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    # `print` takes NAME=VALUE choices before or after its options.
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "print" and not any(e.startswith("-") for e in extra):
        args.choices += extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    _setup_django()
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
