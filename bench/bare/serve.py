"""Serve the bare project with the server code `conferbook serve` runs (conferbook.cli's
one_process and several_processes): waitress with --threads threads in one process, or
with --workers 2 or more, gunicorn gthread processes of --threads threads. Migrates and adds the one
row first.

    BARE_SECRET_KEY=... BARE_SQLITE=/tmp/bare.sqlite3 python bench/bare/serve.py --port 8001
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description="Serve the bare Django project.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    import django

    django.setup()
    from bare.models import Greeting
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    Greeting.objects.get_or_create(pk=1, defaults={"text": "Hello from bare Django."})
    from bare.wsgi import application

    # A connection opened here must not be shared by the forked workers.
    connections.close_all()
    print(f"Bare Django is running at http://{args.host}:{args.port}/", flush=True)
    # The very server code `conferbook serve` runs, so both are served alike.
    from conferbook.cli import one_process, several_processes

    if args.workers > 1:
        several_processes(
            application,
            host=args.host,
            port=args.port,
            workers=args.workers,
            threads=args.threads,
            name="bare",
        )
        return 0
    one_process(application, host=args.host, port=args.port, threads=args.threads).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
