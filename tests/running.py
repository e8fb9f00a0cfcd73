"""The real `conferbook serve` (waitress) in a subprocess on a free loopback port.

Each server gets its own data folder and is stopped by the test that started it, with
bounded waits. Requests go through http.client so redirects and HEAD are seen as sent.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

START_SECONDS = 60
STOP_SECONDS = 10


def laptop_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a laptop install (SQLite, whatever the test run uses)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith("CONFERBOOK_")
    }
    env["CONFERBOOK_HOME"] = str(home)
    env.update(extra)
    return env


def conferbook(home: Path, *args: str, timeout: int = 120, check: bool = True, **env: str):
    """Run one `conferbook` command to the end."""
    return subprocess.run(
        [sys.executable, "-m", "conferbook", *args],
        env=laptop_env(home, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Browser:
    """Cookies and a CSRF token, enough to sign in and post forms like a browser."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].strip().partition("=")
            self.cookies[name] = value
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict[str, str], **kwargs) -> Response:
        if "csrftoken" not in self.cookies:
            self.get(path, headers=kwargs.get("headers"))  # the form's page sets the cookie
        return self.request("POST", path, form=form, **kwargs)

    def sign_in(self, username: str, password: str) -> None:
        response = self.post("/login/", {"username": username, "password": password})
        assert response.status == 302, response.text[:500]


@dataclass
class Server:
    home: Path
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def browser(self) -> Browser:
        return Browser(self.port)

    def output(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text()

    def kill(self) -> None:
        """SIGKILL: no chance to checkpoint the WAL or close anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_SECONDS)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.kill()


def start(home: Path, *args: str, **env: str) -> Server:
    """Start `conferbook serve` and wait until it answers."""
    port = free_port()
    # A file, not a pipe: nobody reads a pipe while the server runs, and a full one blocks it.
    log = home.parent / f"{home.name}-serve-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "conferbook", "serve", "--port", str(port), *args],
            env=laptop_env(home, **env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(home, port, process, log)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"the server stopped:\n{server.output()}") from None
            if time.monotonic() > deadline:
                server.stop()
                raise AssertionError(f"no answer after {START_SECONDS} s") from None
            time.sleep(0.2)


@contextmanager
def running(home: Path, *args: str, **env: str) -> Iterator[Server]:
    server = start(home, *args, **env)
    try:
        yield server
    finally:
        server.stop()


def demo_password(output: str) -> str:
    match = re.search(r"Password:\s+(\S+)", output)
    assert match, output
    return match.group(1)
