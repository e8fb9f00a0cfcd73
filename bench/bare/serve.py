"""Serve the bare project as `conferbook serve` serves Conferbook (see conferbook/cli.py):
waitress with --threads threads in one process, or with --workers 2 or more, gunicorn
gthread processes of --threads threads, with the same options. Migrates and adds the one
row first.

    BARE_SECRET_KEY=... BARE_SQLITE=/tmp/bare.sqlite3 python bench/bare/serve.py --port 8001
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare.settings")


def serve_processes(application: Any, args: argparse.Namespace) -> None:
    import gunicorn.app.base

    options = {
        "bind": [f"{args.host}:{args.port}"],
        "workers": args.workers,
        "worker_class": "gthread",
        "threads": args.threads,
        "preload_app": True,
        "secure_scheme_headers": {},
        "forwarded_allow_ips": "",
        "control_socket_disable": True,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "bare",
    }

    class Processes(gunicorn.app.base.BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self) -> Any:
            return application

    Processes().run()


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
    if args.workers > 1:
        serve_processes(application, args)
        return 0
    import waitress.server

    server = waitress.server.create_server(
        application,
        host=args.host,
        port=args.port,
        threads=args.threads,
        ident="",
        clear_untrusted_proxy_headers=False,
    )
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
