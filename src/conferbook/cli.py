"""The `conferbook` command.

conferbook serve [--host H] [--port P] [--demo-if-empty]   migrate (after a backup) and serve
                 [--threads T] [--workers N]                (N processes of T threads each)
conferbook demo                                             load or reset the demo class
conferbook backup [PATH]                                    a consistent copy of the database
conferbook restore PATH                                     put a backup in place (server stopped)
conferbook print KIND --class C [--student S] [NAME=VALUE...]  a PDF (cards, stickers, ...;
                                                            a long binder is a zip)
conferbook export --student ID|--class ID|--teacher NAME|--school -o PATH [--format F]
                                                            a student (json, pdf), classes (csv)
conferbook purge [--apply] [--verbose]                      expired sessions; students past
                                                            retention
                                                            (a dry run unless --apply; for cron)
conferbook user add USERNAME --first-name F [--last-name L] --role teacher|coach|administrator
conferbook user reset USERNAME                              a new one-time sign-in link
conferbook user deactivate USERNAME [--classes-to USERNAME] / reactivate USERNAME
conferbook analyse FILE [--estimates]                       read a piece of writing: spelling,
                                                            conventions, craft, strengths and
                                                            next steps ("-" reads stdin)
conferbook analyse --jsonl IN [-o OUT]                      one JSON line out per {"id", "text"}
                                                            line in
conferbook manage ARGS...                                   any Django management command
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conferbook.accounts.models import User
    from conferbook.analysis.types import Analysis, Proposal
    from conferbook.demo import DemoResult

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conferbook.settings")
    import django

    django.setup()


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate() -> None:
    """Migrate the database, backing it up first whenever there is something to apply
    (the newest few of those automatic backups are kept)."""
    from django.core.management import call_command
    from django.db import connection

    from conferbook import operations

    if _pending_migrations():
        # A brand-new database has nothing to lose; any other is copied before upgrading.
        if "django_migrations" in connection.introspection.table_names():
            saved = operations.backup_database(kind="before-upgrade")
            if saved:
                print(f"Backed up the database before upgrading: {saved}")
                operations.prune_upgrade_backups()
        call_command("migrate", interactive=False, verbosity=0)
    # The built-in goal library may be newer than the database's copy (idempotent).
    call_command("loadlibrary", verbosity=0)
    from conferbook.accounts.selectors import use_school_time
    from conferbook.accounts.services import ensure_school

    # From here on, times are the school's (saved once, so they never follow the machine).
    use_school_time(ensure_school())


def _print_demo(result: DemoResult) -> None:
    print()
    print("  The demo class is ready.")
    print(f"  Sign in as:  {result.username}")
    print(f"  Password:    {result.password}")
    print(
        f"  The same password signs in {result.co_teacher}, who shares the class,"
        f" and {result.coach}, a literacy coach who reads it."
    )
    print("  (A new password is made each time the demo is loaded: `conferbook demo`.)")
    print()


def _listen_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, in one line, or None if it can."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for family, kind, proto, _, address in addresses:
            with socket.socket(family, kind, proto) as probe:
                if os.name != "nt":  # as waitress does, so a closed server's port is free
                    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
    except OSError as problem:
        return _listen_message(host, port, problem)
    return None


def _listen_message(host: str, port: int, problem: OSError) -> str:
    if problem.errno == errno.EADDRINUSE:
        reason = f"Port {port} is already in use (is Conferbook already running?)."
    else:
        reason = f"Conferbook cannot listen on {host}:{port} ({problem.strerror or problem})."
    return (
        f"{reason} Choose another port with --port, e.g. `conferbook serve --port {port + 1}`"
        f" or `make run PORT={port + 1}`."
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings

    from conferbook import operations

    lock = operations.ServerLock(settings.DATA_DIR)
    if not lock.acquire(exclusive=False):
        print(
            f"A restore of {settings.DATA_DIR} is under way (or another server holds it); "
            "start Conferbook again when it has finished.",
            file=sys.stderr,
        )
        return 1
    if refusal := _listen_problem(args.host, args.port):
        print(refusal, file=sys.stderr)
        return 1
    migrate()
    # Expired sessions and stale failed sign-ins go at every start and once a day after.
    operations.purge_expired()
    operations.start_housekeeping()
    if getattr(settings, "STATIC_ROOT", None):
        operations.collect_static_files()
    from conferbook.accounts.models import User

    if args.demo_if_empty and not User.objects.exists():
        from conferbook.demo import load_demo

        _print_demo(load_demo())
    from conferbook.wsgi import application

    operations.settle_process()
    if args.workers > 1:
        return _serve_processes(application, args)
    try:
        server = one_process(application, host=args.host, port=args.port, threads=args.threads)
    except OSError as problem:
        print(_listen_message(args.host, args.port, problem), file=sys.stderr)
        return 1
    _print_running(args, "")
    server.run()
    return 0


def _print_running(args: argparse.Namespace, how: str) -> None:
    from django.conf import settings

    from conferbook.accounts.selectors import current_school

    url = f"http://{args.host}:{args.port}/"
    print(f"Conferbook is running at {url}{how}  (data in {settings.DATA_DIR})")
    print(f"Times are shown in {current_school().time_zone} (change it in School settings).")
    if settings.SECURE and not settings.TRUSTED_PROXIES:
        print(
            "CONFERBOOK_SECURE is on: plain http requests are sent to https. Behind an HTTPS "
            "proxy, set CONFERBOOK_TRUSTED_PROXIES to the proxy's address."
        )
    print("Press Ctrl+C to stop.", flush=True)


def one_process(application: Any, *, host: str, port: int, threads: int) -> Any:
    """The production server in one process: waitress with `threads` threads."""
    import waitress.server

    return waitress.server.create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="",
        # TrustedProxyMiddleware decides which peer's X-Forwarded-* headers to believe
        # (a list of addresses and networks) and removes them from everyone else's.
        clear_untrusted_proxy_headers=False,
    )


def several_processes(
    application: Any, *, host: str, port: int, workers: int, threads: int, name: str
) -> None:
    """The production server in `workers` processes of `threads` threads (gunicorn gthread,
    Linux and macOS): this process forks them, restarts any that dies and returns when it
    is stopped. Raises ImportError where gunicorn is not installed (Windows)."""
    import gunicorn.app.base

    options = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        # TrustedProxyMiddleware alone decides whose X-Forwarded-* headers count.
        "secure_scheme_headers": {},
        "forwarded_allow_ips": "",
        "control_socket_disable": True,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": name,
    }

    class Processes(gunicorn.app.base.BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for option, value in options.items():
                self.cfg.set(option, value)

        def load(self) -> Any:
            return application

    Processes().run()


def _serve_processes(application: Any, args: argparse.Namespace) -> int:
    """Serve with `args.workers` processes of `args.threads` threads each, so a school
    server uses all its cores. Each process holds nothing but its database connections:
    sessions, sign-in lockouts and everything else are in the database, so any process may
    answer any request. This process migrated, purges on schedule and keeps the restore
    lock."""
    if sys.platform == "win32":
        print(
            "Several processes need Linux or macOS (gunicorn). Serve with one process and"
            " more threads instead: `conferbook serve --threads 16`.",
            file=sys.stderr,
        )
        return 1
    from django.db import connections

    # A connection opened here must not be shared by the forked workers.
    connections.close_all()
    _print_running(args, f" with {args.workers} processes of {args.threads} threads")
    several_processes(
        application,
        host=args.host,
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        name="conferbook",
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    migrate()
    from conferbook.demo import load_demo

    _print_demo(load_demo())
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from conferbook import operations

    target = Path(args.path) if args.path else None
    try:
        saved = operations.backup_database(target)
    except OSError as problem:
        print(f"Could not write the backup to {target}: {problem.strerror}.", file=sys.stderr)
        return 1
    if saved is None:
        print("Nothing to back up: the database is not SQLite (use your database's own tools).")
        return 1
    print(f"Backed up to {saved}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import connection

    from conferbook import operations

    database = operations.sqlite_path()
    if database is None:
        print(
            "This instance does not use SQLite (DATABASE_URL is set): restore PostgreSQL "
            "with its own tools (pg_restore or psql).",
            file=sys.stderr,
        )
        return 1
    lock = operations.ServerLock(settings.DATA_DIR)
    if not lock.acquire(exclusive=True):
        print(
            f"Conferbook is running with the data folder {settings.DATA_DIR}. Stop it first "
            "(Ctrl+C where it runs, or stop its service), then run the restore again. "
            "Nothing was changed.",
            file=sys.stderr,
        )
        return 1
    connection.close()  # nothing of ours may hold the database open while it is replaced
    try:
        kept = operations.restore_database(Path(args.path), database=database)
    except operations.RestoreRefused as refused:
        print(refused, file=sys.stderr)
        return 1
    finally:
        lock.release()
    print(f"Restored the database from {args.path}.")
    if kept:
        print(f"The database it replaced is kept in {kept} (delete it when no longer needed).")
    print("Start Conferbook again: `conferbook serve` (or `make run`).")
    return 0


def _write_file(write: Callable[[argparse.Namespace], object], args: argparse.Namespace) -> int:
    """Run a command that writes one file (a PDF, an export); its refusal in plain words."""
    from conferbook.accounts.selectors import use_school_time
    from conferbook.printables.command import CommandError

    use_school_time()
    try:
        written = write(args)
    except CommandError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Wrote {written}")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from conferbook.printables.command import run

    return _write_file(run, args)


def cmd_export(args: argparse.Namespace) -> int:
    from conferbook.privacy.command import export

    return _write_file(export, args)


def cmd_purge(args: argparse.Namespace) -> int:
    from conferbook import operations
    from conferbook.accounts.selectors import use_school_time
    from conferbook.privacy.command import purge

    use_school_time()
    operations.purge_expired()
    for line in purge(apply=args.apply, verbose=args.verbose):
        print(line)
    return 0


def _find_user(username: str) -> User:
    from conferbook.accounts.models import User

    found = User.objects.filter(username__iexact=username).first()
    if found is None:
        raise LookupError(f"No account has the username {username}.")
    return found


def cmd_user(args: argparse.Namespace) -> int:
    """Accounts for school IT: add a person, a new sign-in link, (re)activate."""
    from django.urls import reverse

    from conferbook.accounts import services

    migrate()  # a new instance may be set up from the command line before it is served
    base = (args.base_url or os.environ.get("CONFERBOOK_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")

    def link(token: str) -> str:
        return base + reverse("accounts:sign_in_link", kwargs={"token": token})

    try:
        if args.action == "add":
            person, token = services.add_person(
                by=None,
                username=args.username,
                first_name=args.first_name,
                last_name=args.last_name,
                role=args.role,
            )
            print(
                f"Added {person.display_name} ({person.username}) as {services.ROLES[args.role]}."
            )
        else:
            person = _find_user(args.username)
            if args.action == "reset":
                if not person.is_active:
                    raise services.Refused(
                        f"{person.username}'s account is deactivated: reactivate it first."
                    )
                token = services.issue_sign_in_link(user=person, by=None, purpose="reset")
                print(f"A new sign-in link for {person.display_name} ({person.username}).")
                print("Their earlier links no longer work.")
            elif args.action == "deactivate":
                classes_to = _find_user(args.classes_to) if args.classes_to else None
                services.deactivate_account(by=None, user=person, classes_to=classes_to)
                print(f"Deactivated {person.username}: they are signed out and cannot sign in.")
                return 0
            else:
                services.reactivate_account(by=None, user=person)
                print(f"Reactivated {person.username}: they can sign in again.")
                return 0
    except services.ClassesNeedTeacher as refused:
        print(f"{refused} Name them with --classes-to USERNAME.", file=sys.stderr)
        return 1
    except (services.Refused, LookupError) as refused:
        print(str(refused).strip("'\""), file=sys.stderr)
        return 1
    print()
    print(f"  Sign-in link:  {link(token)}")
    print(f"  It works once, within {services.LINK_LIFETIME.days} days: hand it to the person.")
    print("  It is shown only now and cannot be looked up later.")
    print()
    return 0


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _quote(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "\u2026"
    return f"\u201c{flat}\u201d"


def _describe(analysis: Analysis, *, estimates: bool) -> list[str]:
    """The analysis of one text in plain words, for the teacher reading it."""
    text = analysis.text
    lines = [f"{analysis.words} words.", ""]
    lines.append("Spelling to look at (the suggestion is a guess; you decide)")
    for flag in analysis.spelling:
        lines.append(
            f"  line {_line_of(text, flag.start)}: {_quote(flag.written)} "
            f"\u2192 {flag.suggestion} ({flag.kind})"
        )
    if not analysis.spelling:
        lines.append("  Nothing found.")
    lines.extend(["", "Conventions"])
    for convention in analysis.conventions:
        lines.append(
            f"  line {_line_of(text, convention.start)}: {convention.message} "
            f"{_quote(convention.text)}"
        )
    if not analysis.conventions:
        lines.append("  Nothing found.")
    lines.extend(["", "Craft"])
    for signal in analysis.signals:
        mark = "does" if signal.present else "look at"
        detail = f" ({signal.detail})" if signal.detail else ""
        lines.append(f"  [{mark}] {signal.label}{detail}")
        lines.extend(f"      {_quote(span.text)}" for span in signal.evidence)
    if not analysis.signals:
        lines.append("  Nothing found.")
    for heading, proposals in (
        ("Strengths to name", analysis.strengths),
        ("Next steps to teach", analysis.next_steps),
    ):
        lines.extend(["", heading])
        for proposal in proposals:
            lines.append(f"  {proposal.goal}: {proposal.why}")
            lines.extend(f"      {_quote(span.text)}" for span in proposal.evidence)
        if not proposals:
            lines.append("  None proposed.")
    if estimates:
        lines.extend(["", "Estimates, for the teacher, not a grade (1-5, ELLIPSE dimensions)"])
        for name, value in analysis.estimates.as_dict().items():
            moved = "; ".join(
                f"{feature} {move:+.2f}"
                for feature, move in analysis.estimates.contributions.get(name, ())
            )
            lines.append(f"  {name:<12} {value:.1f}   {moved}")
    return lines


def _proposal_json(proposal: Proposal) -> dict[str, Any]:
    return {
        "goal": proposal.goal,
        "why": proposal.why,
        "evidence": [{"start": s.start, "end": s.end, "text": s.text} for s in proposal.evidence],
    }


def analysis_json(record_id: Any, analysis: Analysis) -> dict[str, Any]:
    """One line of `conferbook analyse --jsonl`: offsets are Python string indices into
    the text given, and each evidence's text is exactly text[start:end]."""
    return {
        "id": record_id,
        "spelling": [
            {
                "start": f.start,
                "end": f.end,
                "written": f.written,
                "suggestion": f.suggestion,
                "kind": f.kind,
            }
            for f in analysis.spelling
        ],
        "estimates": analysis.estimates.as_dict(),
        "strengths": [_proposal_json(p) for p in analysis.strengths],
        "next_steps": [_proposal_json(p) for p in analysis.next_steps],
    }


def _analyse_jsonl(source: IO[str], out: IO[str]) -> int:
    """Analyse each {"id", "text"} line of `source` as it comes; a bad line is named on
    stderr and the rest still go through. 1 if any line failed."""
    import json

    from conferbook.analysis import analyse

    failed = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as problem:
            print(f"Line {number}: not JSON ({problem.msg}); skipped.", file=sys.stderr)
            failed += 1
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            print(
                f'Line {number}: needs an object with "text" (a string); skipped.',
                file=sys.stderr,
            )
            failed += 1
            continue
        try:
            analysis = analyse(record["text"])
        except Exception as problem:  # one text must not stop the others
            print(f"Line {number}: could not be analysed ({problem!r}); skipped.", file=sys.stderr)
            failed += 1
            continue
        out.write(json.dumps(analysis_json(record.get("id"), analysis), ensure_ascii=False))
        out.write("\n")
        out.flush()
    if failed:
        print(f"{failed} line(s) skipped.", file=sys.stderr)
    return 1 if failed else 0


def _open_input(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    return open(path, encoding="utf-8", errors="replace")  # closed by the caller


def cmd_analyse(args: argparse.Namespace) -> int:
    """Read writing without the web app: no database, no Django."""
    try:
        source = _open_input(args.jsonl or args.file)
    except OSError as problem:
        print(f"Cannot read {args.jsonl or args.file}: {problem.strerror}.", file=sys.stderr)
        return 2
    with source:
        if args.jsonl:
            if not args.output or args.output == "-":
                return _analyse_jsonl(source, sys.stdout)
            try:
                target = open(args.output, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as problem:
                print(f"Cannot write {args.output}: {problem.strerror}.", file=sys.stderr)
                return 2
            with target:
                return _analyse_jsonl(source, target)
        from conferbook.analysis import analyse

        text = source.read()
    if not text.strip():
        print(f"{args.file} has no writing in it.", file=sys.stderr)
        return 1
    print("\n".join(_describe(analyse(text), estimates=args.estimates)))
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
    serve.add_argument("--threads", type=int, default=8, help="threads per process")
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("CONFERBOOK_WORKERS", "1")),
        help="processes (Linux and macOS; 2 or more runs gunicorn, best with PostgreSQL)",
    )
    serve.add_argument(
        "--demo-if-empty", action="store_true", help="load the demo class into an empty database"
    )
    serve.set_defaults(func=cmd_serve)
    demo = commands.add_parser("demo", help="load (or reset) the demo class")
    demo.set_defaults(func=cmd_demo)
    backup = commands.add_parser("backup", help="copy the SQLite database safely")
    backup.add_argument("path", nargs="?")
    backup.set_defaults(func=cmd_backup)
    restore = commands.add_parser(
        "restore", help="put a backup in place of the SQLite database (stop the server first)"
    )
    restore.add_argument("path")
    restore.set_defaults(func=cmd_restore)
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
    exporting = commands.add_parser(
        "export", help="export a student's record (json, pdf), a class, a teacher's or the school's"
    )
    which = exporting.add_mutually_exclusive_group(required=True)
    which.add_argument("--student", type=int, help="a student's id")
    which.add_argument("--class", dest="classroom", type=int, help="a class's id")
    which.add_argument("--teacher", help="a teacher's username: all their classes")
    which.add_argument("--school", action="store_true", help="every class and student")
    exporting.add_argument("--format", choices=["json", "pdf", "csv"])
    exporting.add_argument("--paper", choices=["letter", "a4"], default="letter")
    exporting.add_argument("-o", "--output", required=True, help="the file to write")
    exporting.set_defaults(func=cmd_export)
    purging = commands.add_parser(
        "purge",
        help="delete expired sessions, and list (or with --apply delete) students past retention",
    )
    purging.add_argument("--apply", action="store_true", help="delete them (default: only list)")
    purging.add_argument("-v", "--verbose", action="store_true", help="say what --apply deleted")
    purging.set_defaults(func=cmd_purge)
    user = commands.add_parser("user", help="add, reset, deactivate or reactivate an account")
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a person and print their one-time sign-in link")
    add.add_argument("username")
    add.add_argument("--first-name", required=True)
    add.add_argument("--last-name", default="")
    add.add_argument("--role", choices=["teacher", "coach", "administrator"], default="teacher")
    reset = actions.add_parser("reset", help="print a new one-time sign-in link")
    reset.add_argument("username")
    deactivate = actions.add_parser("deactivate", help="stop a person signing in")
    deactivate.add_argument("username")
    deactivate.add_argument(
        "--classes-to", metavar="USERNAME", help="who takes the classes they teach alone"
    )
    reactivate = actions.add_parser("reactivate", help="let a deactivated person sign in again")
    reactivate.add_argument("username")
    for action in (add, reset):
        action.add_argument(
            "--base-url",
            help="the address people open Conferbook at (default: CONFERBOOK_BASE_URL or "
            f"{DEFAULT_BASE_URL})",
        )
    for action in (deactivate, reactivate):
        action.set_defaults(base_url=None)
    user.set_defaults(func=cmd_user)
    analysing = commands.add_parser(
        "analyse", help="read a piece of writing and propose strengths and next steps"
    )
    analysing.add_argument("file", nargs="?", help='a text file ("-" for standard input)')
    analysing.add_argument(
        "--jsonl", metavar="IN", help='lines {"id": ..., "text": ...} in; one JSON line out each'
    )
    analysing.add_argument("-o", "--output", metavar="OUT", help="where --jsonl writes")
    analysing.add_argument(
        "--estimates", action="store_true", help="also print the estimates (for you, not a grade)"
    )
    analysing.set_defaults(func=cmd_analyse)
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
    if args.command == "analyse":
        if bool(args.file) == bool(args.jsonl):
            parser.error("analyse takes a FILE or --jsonl IN (one of them)")
        if args.output and not args.jsonl:
            parser.error("-o goes with --jsonl")
        return int(args.func(args))  # the analyser is plain Python: no Django, no data folder
    if args.command == "serve":
        if args.workers < 1 or args.threads < 1:
            parser.error("--workers and --threads take a whole number of 1 or more")
        os.environ["CONFERBOOK_HASHED_STATIC"] = "1"  # see STATIC_ROOT in settings
    _setup_django()
    from conferbook.operations import secure_data_folder

    secure_data_folder()
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
