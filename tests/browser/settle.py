"""Ending a browser test cleanly: the live server finishes what the page sent."""

from __future__ import annotations

import threading
import time


def close_and_settle(context: object, timeout: float = 10.0) -> None:
    """Close a browser context, then let the live server finish every request the page
    left running (an autosave or an htmx swap sent as the test ended): emptying the
    database under one of them deadlocked on PostgreSQL and left the next test a database
    that could not be flushed. A request the server accepts just after the close gets a
    thread a moment later, so the server is watched until it stays quiet."""
    context.close()  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        busy = [
            t
            for t in threading.enumerate()
            if "process_request_thread" in t.name and t is not threading.current_thread()
        ]
        for thread in busy:
            thread.join(max(0.0, deadline - time.monotonic()))
        quiet = 0 if busy else quiet + 1
        time.sleep(0.05)
